"""The demo's organisations, staff and name pools, from the seeds (Region Syddanmark's ATT
project with Odense, Kolding, Vejle, Fredericia and Varde; Lokalpsykiatri Vejle with Jobcenter
Vejle)."""

from decimal import Decimal

from ipsportal.accounts.models import OrganisationKind, RoleCode

DEMO_PASSWORD = "IPS-demo-2026!"

JOB_CENTRES = ["Odense", "Kolding", "Vejle", "Fredericia", "Varde"]
ATT = "Afdeling for Traume- og Torturoverlevende (ATT)"
LOCAL_PSYCHIATRY_VEJLE = "Lokalpsykiatri Vejle"
SOCIAL_PSYCHIATRY_VEJLE = "Socialpsykiatrien, Vejle Kommune"
REGION_ADMINISTRATION = "Psykiatrien i Region Syddanmark"

ORGANISATIONS: list[tuple[str, str, str, list[str]]] = [
    *[
        (f"Jobcenter {town}", OrganisationKind.MUNICIPALITY, town, ["IPS-teamet"])
        for town in JOB_CENTRES
    ],
    (ATT, OrganisationKind.PSYCHIATRY, "", ["Behandlerteamet", "Ledelsen"]),
    (LOCAL_PSYCHIATRY_VEJLE, OrganisationKind.PSYCHIATRY, "", ["Ambulatoriet", "Ungeenheden"]),
    (SOCIAL_PSYCHIATRY_VEJLE, OrganisationKind.SOCIAL, "Vejle", ["Bostøtten"]),
    (REGION_ADMINISTRATION, OrganisationKind.PSYCHIATRY, "", ["Portaladministrationen"]),
]

# username, first name, last name, title, organisation, unit, roles, FTE
STAFF: list[tuple[str, str, str, str, str, str, list[str], Decimal]] = [
    ("konsulent.odense", "Mette", "Sørensen", "IPS-konsulent", "Jobcenter Odense", "IPS-teamet",
     [RoleCode.CONSULTANT], Decimal("1.00")),
    ("konsulent2.odense", "Ali", "Hassan", "IPS-konsulent", "Jobcenter Odense", "IPS-teamet",
     [RoleCode.CONSULTANT], Decimal("0.50")),
    ("teamleder.odense", "Lars", "Nielsen", "Teamleder", "Jobcenter Odense", "IPS-teamet",
     [RoleCode.TEAM_LEAD], Decimal("1.00")),
    ("leder.odense", "Hanne", "Kristensen", "Afdelingsleder", "Jobcenter Odense", "IPS-teamet",
     [RoleCode.MANAGER], Decimal("1.00")),
    ("konsulent.vejle", "Jonas", "Poulsen", "IPS-konsulent", "Jobcenter Vejle", "IPS-teamet",
     [RoleCode.CONSULTANT], Decimal("1.00")),
    ("teamleder.vejle", "Camilla", "Lund", "Teamleder", "Jobcenter Vejle", "IPS-teamet",
     [RoleCode.TEAM_LEAD], Decimal("1.00")),
    ("tovholder.vejle", "Pia", "Mortensen", "Koordinerende sagsbehandler", "Jobcenter Vejle",
     "IPS-teamet", [RoleCode.COORDINATOR], Decimal("1.00")),
    ("konsulent.kolding", "Sofie", "Rasmussen", "IPS-konsulent", "Jobcenter Kolding", "IPS-teamet",
     [RoleCode.CONSULTANT], Decimal("1.00")),
    ("konsulent.fredericia", "Mikkel", "Thomsen", "IPS-konsulent", "Jobcenter Fredericia",
     "IPS-teamet", [RoleCode.CONSULTANT], Decimal("0.80")),
    ("konsulent.varde", "Anne", "Christiansen", "IPS-konsulent", "Jobcenter Varde", "IPS-teamet",
     [RoleCode.CONSULTANT], Decimal("1.00")),
    ("behandler.att", "Sara", "Jensen", "Psykolog", ATT, "Behandlerteamet",
     [RoleCode.CLINICIAN], Decimal("1.00")),
    ("behandler2.att", "Omid", "Karimi", "Socialrådgiver", ATT, "Behandlerteamet",
     [RoleCode.CLINICIAN], Decimal("1.00")),
    ("tovholder.att", "Birgitte", "Holm", "Koordinator", ATT, "Behandlerteamet",
     [RoleCode.CLINICIAN, RoleCode.COORDINATOR], Decimal("1.00")),
    ("leder.att", "Henrik", "Dahl", "Afdelingsleder", ATT, "Ledelsen",
     [RoleCode.MANAGER], Decimal("1.00")),
    ("behandler.vejle", "Louise", "Andersen", "Sygeplejerske", LOCAL_PSYCHIATRY_VEJLE,
     "Ambulatoriet", [RoleCode.CLINICIAN], Decimal("1.00")),
    ("behandler.unge.vejle", "Rasmus", "Bach", "Psykiater", LOCAL_PSYCHIATRY_VEJLE,
     "Ungeenheden", [RoleCode.CLINICIAN], Decimal("1.00")),
    ("social.vejle", "Tina", "Iversen", "Bostøttemedarbejder", SOCIAL_PSYCHIATRY_VEJLE,
     "Bostøtten", [RoleCode.COORDINATOR], Decimal("1.00")),
    ("admin", "Karen", "Vestergaard", "Systemadministrator", REGION_ADMINISTRATION,
     "Portaladministrationen", [RoleCode.ADMINISTRATOR], Decimal("1.00")),
]

DANISH_GIVEN = [
    "Anders", "Mette", "Jesper", "Camilla", "Morten", "Louise", "Thomas", "Maria", "Kasper",
    "Line", "Nikolaj", "Signe", "Mads", "Ida", "Emil", "Freja", "Frederik", "Julie", "Mathias",
    "Sofie", "Christian", "Laura", "Oliver", "Emma", "Magnus", "Cecilie", "Rasmus", "Anna",
    "Tobias", "Karoline", "Jonas", "Amalie", "Simon", "Nanna", "Sebastian", "Maja",
]
DANISH_FAMILY = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Lauridsen", "Holm", "Østergaard",
]
REFUGEE_GIVEN = [
    ("Ahmad", "ar"), ("Fatima", "ar"), ("Mohammad", "ar"), ("Aisha", "ar"), ("Omar", "ar"),
    ("Layla", "ar"), ("Yusuf", "ar"), ("Rania", "ar"), ("Khaled", "ar"), ("Nour", "ar"),
    ("Reza", "fa"), ("Shirin", "fa"), ("Hossein", "fa"), ("Maryam", "fa"), ("Ali", "prs"),
    ("Zahra", "prs"), ("Farid", "prs"), ("Habiba", "prs"), ("Yonas", "ti"), ("Selam", "ti"),
    ("Tesfay", "ti"), ("Helen", "ti"), ("Abdi", "so"), ("Hodan", "so"), ("Mahad", "so"),
    ("Sahra", "so"), ("Dilan", "ku"), ("Rojin", "ku"), ("Serwan", "ku"), ("Oksana", "uk"),
]
REFUGEE_FAMILY = {
    "ar": ["Al-Hassan", "Haddad", "Khalil", "Ibrahim", "Mansour", "Saleh", "Darwish"],
    "fa": ["Hosseini", "Rahimi", "Mohammadi", "Ahmadi", "Karimi"],
    "prs": ["Rahmani", "Sultani", "Noori", "Habibi"],
    "ti": ["Tesfamariam", "Gebremedhin", "Haile", "Berhane"],
    "so": ["Warsame", "Abdullahi", "Farah", "Mohamed"],
    "ku": ["Barzani", "Ahmed", "Rashid"],
    "uk": ["Kovalenko", "Shevchenko", "Bondarenko"],
}
STREETS = ["Vestergade", "Østergade", "Nørregade", "Søndergade", "Skolevej", "Kirkevej",
           "Engvej", "Stationsvej", "Bakkevej", "Skovvej"]
POSTAL_CODES = {"Odense": "5000", "Kolding": "6000", "Vejle": "7100", "Fredericia": "7000",
                "Varde": "6800"}
