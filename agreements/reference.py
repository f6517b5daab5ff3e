"""Reference data from the seeds: Copenhagen's seven principles and its
approving body (000), the governing bodies of the Midtjylland structure (004)
and Sjælland's K17 (001).

The source of fixtures/framework_agreements.json (`manage.py build_reference_fixtures`).
"""

COPENHAGEN_PRINCIPLES = [
    (
        "Princippet om selvstændighed",
        "a. De selvejende tilbud har en selvstændigt valgt bestyrelse. Denne bestyrelse er "
        "ansvarlig for tilbuddets drift, økonomi og personalemæssige forhold.",
    ),
    (
        "Princippet om samskabelse",
        "a. Samskabelse er nyskabende og har som mål at skabe ny velfærd. Samskabelse sker i en "
        "ligeværdig dialog mellem de selvejende tilbud og Socialforvaltningen for styrkelse af "
        "tilbud og udvikling heraf.\n"
        "b. De selvejende tilbud og Socialforvaltningen forpligter sig til fortsat at styrke "
        "dialogen samt tage fælles ansvar for levering af resultater for borgerne.",
    ),
    (
        "Princippet om udvikling og social innovation",
        "a. De selvejende tilbud og Socialforvaltningen forpligter sig til at udpege sociale "
        "behov – herunder at udvikle nye, relevante metoder i arbejdet med målgruppen.\n"
        "b. De selvejende tilbud og Socialforvaltningen forpligter sig til, at metodeudvikling, "
        "der fremmer arbejdet med socialt udsatte, erfaringsudveksles mellem tilbud og "
        "forvaltning, således at det kan være med til at inspirere og styrke indsatsen på "
        "området.",
    ),
    (
        "Princippet om transparens",
        "a. Det enkelte selvejende tilbud forpligter sig til at disponere inden for den godkendte "
        "økonomiske ramme, og institutionens budget udmeldes af Københavns Kommune.\n"
        "b. Både de selvejende tilbud og Socialforvaltningen bør stræbe efter så stor "
        "transparens som muligt, så det er tydeligt, at ressourcer anvendes på effektive og "
        "hensigtsmæssige måder til gavn for borgerne.\n"
        "c. De selvejende tilbud forpligter sig til løbende at give Københavns Kommune indsigt i "
        "tilbuddets forbrug og socialfaglige indsats for borgerne.\n"
        "d. Socialforvaltningen inddrager de selvejende tilbud i et co-producerende forhold ved "
        "omlægninger og tiltag, som vedrører tilbuddets hovedformål.",
    ),
    (
        "Princippet om kvalitet",
        "a. De selvejende tilbud og Socialforvaltningen samarbejder ud fra en ambition om "
        "optimal kvalitet.\n"
        "b. De selvejende tilbud vil dokumentere og evaluere i overensstemmelse med principperne "
        "om den lærende organisation og i samarbejde med Socialforvaltningen.\n"
        "c. Metodiske tilgange er vidensbaserede, og der er plads til udvikling lokalt for at "
        "sikre fortsat kvalitet i arbejdet. Det skal være med til, at alle tilbud bidrager til "
        "indsamling af viden om kompetencer og metoder på området.",
    ),
    (
        "Princippet om frivillighed",
        "a. De selvejende tilbud og Socialforvaltningen udveksler erfaringer om inddragelse af "
        "civilsamfund, brugere og pårørende for at udvikle vores velfærd og vores indsatser.",
    ),
    (
        "Princippet om økonomisk bæredygtighed",
        "a. De selvejende tilbud og Socialforvaltningen søger på bedste vis, inden for politiske "
        "vedtagelser, at sikre tilbuddenes drift og løsninger på økonomiske forhold.",
    ),
]

MIDTJYLLAND_BODIES = [
    {
        "name": "DASSOS",
        "kind": "dassos",
        "members": "all",
        "region_is_member": True,
        "may_approve_capacity": True,
        "meets": "4-5 gange årligt",
        "tasks": (
            "Den Administrative Styregruppe for Social- og Specialundervisningsområdet: det "
            "øverste administrative organ i det fælleskommunale og regionale samarbejde på "
            "socialområdet. Godkender kapacitetsjusteringer på mere end 10 pladser og lukning "
            "af hele tilbud."
        ),
    },
    {
        "name": "Forretningsudvalget",
        "kind": "forretningsudvalg",
        "on_behalf_of": "DASSOS",
        "members": [
            "Hedensted",
            "Norddjurs",
            "Herning",
            "Randers",
            "Skanderborg",
            "Holstebro",
            "Viborg",
            "Aarhus",
        ],
        "region_is_member": True,
        "may_approve_capacity": True,
        "meets": "2-4 gange årligt afhængig af behov",
        "tasks": (
            "Håndterer driftsmæssige og tekniske forhold i rammeaftalesamarbejdet og har "
            "beslutningskompetence på vegne af DASSOS. Hedensted Kommune er formand."
        ),
    },
    {
        "name": "Takstgruppen",
        "kind": "takstgruppe",
        "members": "all",
        "region_is_member": True,
        "may_approve_capacity": False,
        "meets": "Efter behov",
        "tasks": (
            "Udarbejder forslag til styringsaftale og rådgiver Forretningsudvalget om takster. "
            "Viborg Kommune har formandskabet."
        ),
    },
    {
        "name": "KKR Midtjylland",
        "kind": "kkr",
        "members": "all",
        "region_is_member": False,
        "may_approve_capacity": False,
        "meets": "",
        "tasks": (
            "Kommunekontaktrådet: borgmestrene og et tilsvarende antal kommunalpolitikere fra de "
            "19 kommuner drøfter og koordinerer kommunernes regionalpolitiske indsats."
        ),
    },
    {
        "name": "KD-net Midtjylland",
        "kind": "kd_net",
        "members": "all",
        "region_is_member": False,
        "may_approve_capacity": False,
        "meets": "",
        "tasks": (
            "Kommunaldirektørnetværket forbereder, koordinerer og følger op på opgaver af fælles "
            "interesse for kommunerne og har nedsat DASSOS og Forretningsudvalget."
        ),
    },
    {
        "name": "Sekretariat for Rammeaftaler",
        "kind": "secretariat",
        "members": ["Viborg"],
        "region_is_member": False,
        "may_approve_capacity": False,
        "meets": "",
        "tasks": (
            "Sekretariatsbetjener DASSOS, Forretningsudvalget, Takstgruppen, "
            "Hjerneskadesamrådene og ad hoc grupper. Forankret i Viborg Kommune med 2 "
            "fuldtidsstillinger."
        ),
    },
    {
        "name": "Hjerneskadesamråd vedr. børn og unge",
        "kind": "ad_hoc",
        "members": "all",
        "region_is_member": True,
        "may_approve_capacity": False,
        "meets": "",
        "tasks": "Rådgiver Sundhedsstyrelsen og DASSOS om børn og unge med erhvervet hjerneskade.",
    },
    {
        "name": "Hjerneskadesamråd vedr. voksne",
        "kind": "ad_hoc",
        "members": "all",
        "region_is_member": True,
        "may_approve_capacity": False,
        "meets": "",
        "tasks": "Rådgiver Sundhedsstyrelsen og DASSOS om voksne med erhvervet hjerneskade.",
    },
]


# Seed 000: the agreement is approved by "styregruppen og Socialforvaltningens
# direktion", and the budgets of the offers are set by København: changes of an
# offer's capacity go to the directorate.
COPENHAGEN_BODIES = [
    {
        "name": "Socialforvaltningens direktion, Københavns Kommune",
        "kind": "direktion",
        "members": ["København"],
        "region_is_member": False,
        "may_approve_capacity": True,
        "meets": "",
        "tasks": (
            "Godkender rammeaftalen sammen med styregruppen og udmelder de selvejende tilbuds "
            "budgetter; godkender kapacitetsjusteringer på tilbud under rammeaftalen."
        ),
    },
]

# Seed 001: the 17 municipalities of region Sjælland; no municipality opens or
# closes an offer, or closes one before a relabelling has been discussed, without K17.
SJAELLAND_BODIES = [
    {
        "name": "K17",
        "kind": "k17",
        "members": "all",
        "region_is_member": False,
        "may_approve_capacity": True,
        "meets": "",
        "tasks": (
            "Kommunaldirektørerne i de 17 kommuner i region Sjælland. Ingen kommuner lukker "
            "eller åbner tilbud, uden at det som minimum har været drøftet i K17; ingen tilbud "
            "lukkes, uden at en eventuel ommærkning som minimum har været drøftet i K17."
        ),
    },
]
