"""Offences a charge can cite. Summaries are CTIP's own short paraphrases, for choosing a charge and for
statistics; the official text on Kenya Law governs. `checked` is True only where the penalty was taken from the
project's domain brief (docs: DOMAIN.md section 3); every other penalty is shown in the UI as "not yet checked
against the official text" until a national coordinator confirms it.

Fields: code, statute, section, title, summary, penalty, min_years, min_fine_kes, life_on_subsequent, checked.
"""

OFFENCES = [
    # --- Counter-Trafficking in Persons Act, No. 8 of 2010 ----------------------------------------------------
    (
        "ctipa-3",
        "ctip_act",
        "3",
        "Trafficking in persons",
        "Recruiting, transporting, transferring, harbouring or receiving a person by threat, force, deception, "
        "abuse of power or of vulnerability, or payments, for the purpose of exploitation. For a child no means "
        "need be proved. The consent of the victim is no defence.",
        "Imprisonment of not less than 30 years, or a fine of not less than KSh 30 million, or both; "
        "imprisonment for life on a subsequent conviction.",
        30,
        30_000_000,
        True,
        True,
    ),
    (
        "ctipa-4",
        "ctip_act",
        "4",
        "Acts that promote child trafficking",
        "Adopting, fostering, offering or giving a child, or arranging guardianship, for the purpose of "
        "trafficking or exploiting the child; acts that facilitate child trafficking.",
        "Imprisonment of not less than 30 years, or a fine of not less than KSh 20 million, or both; "
        "imprisonment for life on a subsequent conviction.",
        30,
        20_000_000,
        True,
        False,
    ),
    (
        "ctipa-5",
        "ctip_act",
        "5",
        "Promotion of trafficking in persons",
        "Knowingly leasing or allowing premises to be used for trafficking, publishing or distributing material "
        "that promotes trafficking, or managing, running or financing a job recruitment agency for the purpose "
        "of trafficking.",
        "Imprisonment of not less than 20 years, or a fine of not less than KSh 20 million, or both.",
        20,
        20_000_000,
        False,
        True,
    ),
    (
        "ctipa-6",
        "ctip_act",
        "6",
        "Acquisition of travel documents by fraud or misrepresentation",
        "Facilitating or acquiring travel documents by fraud, false statements or misrepresentation to "
        "facilitate trafficking in persons.",
        "Imprisonment of not less than 10 years, or a fine of not less than KSh 10 million, or both.",
        10,
        10_000_000,
        False,
        False,
    ),
    (
        "ctipa-7",
        "ctip_act",
        "7",
        "Facilitating entry into or exit from Kenya for trafficking",
        "Facilitating or assisting the entry into, passage through or exit from Kenya of a person for the "
        "purpose of trafficking in persons.",
        "Imprisonment of not less than 10 years, or a fine of not less than KSh 10 million, or both.",
        10,
        10_000_000,
        False,
        False,
    ),
    (
        "ctipa-8",
        "ctip_act",
        "8",
        "Interfering with travel documents and personal effects",
        "Destroying, concealing, removing, confiscating or possessing a victim's passport, identity or travel "
        "documents or personal effects to facilitate trafficking or to keep the victim under control.",
        "Imprisonment of not less than 10 years, or a fine of not less than KSh 10 million, or both.",
        10,
        10_000_000,
        False,
        False,
    ),
    (
        "ctipa-9",
        "ctip_act",
        "9",
        "Trafficking in life-threatening circumstances or causing death",
        "Trafficking in persons where the victim is exposed to life-threatening circumstances, suffers serious "
        "injury or dies as a result.",
        "Imprisonment for life.",
        None,
        None,
        False,
        False,
    ),
    (
        "ctipa-10",
        "ctip_act",
        "10",
        "Trafficking in persons for organised crime",
        "Trafficking in persons committed by, for or on behalf of an organised criminal group, or to further "
        "organised criminal activity.",
        "Imprisonment of not less than 30 years, or a fine of not less than KSh 30 million, or both; "
        "imprisonment for life on a subsequent conviction.",
        30,
        30_000_000,
        True,
        False,
    ),
    # --- Related offences courts use ------------------------------------------------------------------------
    (
        "pc-313",
        "penal_code",
        "313",
        "Obtaining by false pretences",
        "Obtaining money or goods by a false pretence with intent to defraud; charged against fake recruitment "
        "agents who take job seekers' fees.",
        "Imprisonment for up to 3 years.",
        None,
        None,
        False,
        False,
    ),
    (
        "pc-266",
        "penal_code",
        "266",
        "Unlawful compulsory labour",
        "Unlawfully compelling a person to labour against that person's will.",
        "A misdemeanour.",
        None,
        None,
        False,
        False,
    ),
    (
        "pc-259",
        "penal_code",
        "259",
        "Kidnapping or abducting with intent to confine a person",
        "Kidnapping or abducting a person with intent to cause the person to be secretly and wrongfully confined.",
        "Imprisonment for up to 7 years.",
        None,
        None,
        False,
        False,
    ),
    (
        "soa-13",
        "sexual_offences",
        "13",
        "Child trafficking for sexual exploitation",
        "Knowingly arranging or facilitating travel, or offering or obtaining a child, for the purpose of "
        "sexual exploitation.",
        "Imprisonment of not less than 10 years, and a fine of not less than KSh 2 million on some counts.",
        10,
        None,
        False,
        False,
    ),
    (
        "soa-14",
        "sexual_offences",
        "14",
        "Child sex tourism",
        "Making or organising travel arrangements for, or travelling to, a person for the purpose of sexual "
        "activity with a child.",
        "Imprisonment of not less than 10 years.",
        10,
        None,
        False,
        False,
    ),
    (
        "soa-15",
        "sexual_offences",
        "15",
        "Child prostitution",
        "Knowingly permitting, inducing, procuring or offering a child for sexual exploitation.",
        "Imprisonment of not less than 10 years.",
        10,
        None,
        False,
        False,
    ),
    (
        "soa-17",
        "sexual_offences",
        "17",
        "Exploitation of prostitution",
        "Intentionally causing or inciting another person to become a prostitute for gain, or controlling the "
        "activities of a prostitute.",
        "Imprisonment of not less than 5 years, or a fine of not less than KSh 500,000, or both.",
        5,
        500_000,
        False,
        False,
    ),
    (
        "soa-18",
        "sexual_offences",
        "18",
        "Trafficking for sexual exploitation",
        "Intentionally or knowingly arranging or facilitating travel within or across the borders of Kenya by "
        "another person intending to commit a sexual offence against that person.",
        "Imprisonment of not less than 15 years, or a fine of not less than KSh 2 million, or both.",
        15,
        2_000_000,
        False,
        False,
    ),
    (
        "kcia-53",
        "immigration",
        "53",
        "Immigration offences",
        "Offences such as entering or remaining in Kenya unlawfully, harbouring or employing a person unlawfully "
        "present, and facilitating unlawful entry or exit, or holding false documents.",
        "A fine, imprisonment, or both, as the subsection provides.",
        None,
        None,
        False,
        False,
    ),
    (
        "lia-55",
        "labour_institutions",
        "55",
        "Operating a private employment agency without registration",
        "Carrying on the business of a private employment agency, including recruitment for work abroad, "
        "without being registered and licensed by the National Employment Authority.",
        "A fine, imprisonment, or both, as the Act provides.",
        None,
        None,
        False,
        False,
    ),
    (
        "ea-84",
        "employment",
        "84",
        "Foreign contract of service not attested",
        "Recruiting or taking a person to work outside Kenya under a foreign contract of service that a labour "
        "officer has not attested.",
        "A fine, imprisonment, or both, as the Act provides.",
        None,
        None,
        False,
        False,
    ),
    (
        "ca-child-trafficking",
        "children",
        "22",
        "Child abuse, child trafficking and the worst forms of child labour",
        "Subjecting a child to trafficking, sexual exploitation, child labour or any form of exploitation "
        "prohibited by the Children Act.",
        "Imprisonment, a fine, or both, as the Act provides.",
        None,
        None,
        False,
        False,
    ),
]
