"""Synthetic Kenyan names for demo data. Fictitious people: names are common given names and surnames drawn from
several communities, combined at random. Each entry is (canonical spelling, [spelling variants seen in records]).
Variants model what a duplicate-detection matcher must cope with: transliteration, dropped apostrophes,
doubled letters, Swahili/English forms of Muslim names."""

from __future__ import annotations

# community -> (female given names, male given names, surnames)
COMMUNITIES: dict[str, tuple[list, list, list]] = {
    "kikuyu": (
        [
            ("Wanjiku", ["Wanjiku", "Wanjikũ", "Wanjiko"]),
            ("Nyambura", []),
            ("Wairimu", ["Wairimũ"]),
            ("Njeri", ["Njerry"]),
            ("Wambui", ["Wambuy"]),
            ("Wangari", []),
            ("Muthoni", ["Muthony"]),
            ("Nyokabi", []),
        ],
        [
            ("Kamau", []),
            ("Njoroge", ["Njoroghe"]),
            ("Mwangi", ["Mwangy"]),
            ("Kariuki", ["Kariuky"]),
            ("Githinji", ["Githinji", "Githinjí"]),
            ("Waweru", []),
            ("Ngugi", ["Ngũgĩ", "Ngugy"]),
            ("Macharia", []),
        ],
        [
            ("Kamau", []),
            ("Njoroge", ["Njoroghe"]),
            ("Mwangi", []),
            ("Kimani", ["Kimanni"]),
            ("Maina", []),
            ("Wanjohi", ["Wanjohy"]),
            ("Gitau", []),
            ("Ndungu", ["Ndung'u", "Ndungú"]),
            ("Kinyua", []),
        ],
    ),
    "luo": (
        [
            ("Achieng", ["Achieng'", "Atieng"]),
            ("Akinyi", ["Akiny"]),
            ("Atieno", ["Atiyeno"]),
            ("Adhiambo", []),
            ("Awino", []),
            ("Anyango", ["Anyang'o"]),
            ("Auma", []),
            ("Apiyo", ["Apio"]),
        ],
        [
            ("Otieno", ["Otiyeno", "Otieo"]),
            ("Omondi", []),
            ("Ochieng", ["Ochieng'", "Ochien"]),
            ("Onyango", []),
            ("Odhiambo", ["Odiambo"]),
            ("Owino", []),
            ("Okoth", ["Okotth"]),
            ("Ouma", []),
        ],
        [
            ("Otieno", ["Otiyeno"]),
            ("Odhiambo", ["Odiambo"]),
            ("Onyango", ["Onyang'o"]),
            ("Okello", ["Okelo"]),
            ("Oduor", []),
            ("Ogola", []),
            ("Owuor", ["Owour"]),
            ("Obonyo", []),
        ],
    ),
    "luhya": (
        [("Nafula", []), ("Nekesa", ["Nekessa"]), ("Nasimiyu", []), ("Naliaka", []), ("Khavetsa", []), ("Makokha", [])],
        [
            ("Wafula", []),
            ("Barasa", ["Barassa"]),
            ("Wekesa", ["Wekessa"]),
            ("Simiyu", []),
            ("Wanyama", []),
            ("Khisa", []),
        ],
        [
            ("Wafula", []),
            ("Barasa", []),
            ("Wekesa", []),
            ("Makokha", []),
            ("Shikuku", ["Shikukku"]),
            ("Mukhwana", []),
            ("Wanjala", []),
        ],
    ),
    "kalenjin": (
        [
            ("Chebet", ["Chebett"]),
            ("Jepkemboi", ["Jepkemboy"]),
            ("Cherono", []),
            ("Jeptoo", ["Jepto"]),
            ("Chepkoech", []),
            ("Jelagat", []),
        ],
        [
            ("Kiprotich", ["Kiprotch"]),
            ("Kipchumba", []),
            ("Cheruiyot", ["Cheruyot", "Cheruiot"]),
            ("Kibet", []),
            ("Kiplagat", []),
            ("Rotich", []),
        ],
        [
            ("Cheruiyot", ["Cheruyot"]),
            ("Kiptoo", ["Kipto"]),
            ("Rotich", []),
            ("Koech", ["Koetch"]),
            ("Langat", []),
            ("Kirui", []),
            ("Sang", []),
        ],
    ),
    "kamba": (
        [("Mwende", []), ("Ndinda", []), ("Mueni", ["Mwueni"]), ("Syokau", []), ("Kanini", [])],
        [("Mutua", []), ("Musyoka", ["Musyokka"]), ("Kioko", []), ("Mutinda", []), ("Muli", [])],
        [("Mutua", []), ("Musyoka", []), ("Kilonzo", ["Kilonzoo"]), ("Nzioka", []), ("Mwikali", [])],
    ),
    "kisii": (
        [("Kwamboka", []), ("Moraa", ["Morah"]), ("Nyaboke", []), ("Kerubo", [])],
        [("Nyamweya", []), ("Ondieki", ["Ondieky"]), ("Mogaka", []), ("Onchari", [])],
        [("Nyamweya", []), ("Ondieki", []), ("Mogaka", []), ("Obiero", []), ("Momanyi", ["Momany"])],
    ),
    "meru": (
        [("Kendi", []), ("Nkatha", []), ("Makena", []), ("Gatwiri", [])],
        [("Mutuma", []), ("Kirimi", []), ("Mugambi", []), ("Murithi", ["Muriithi"])],
        [("Mutuma", []), ("Kirimi", []), ("Mwiti", []), ("Kaberia", [])],
    ),
    "coastal": (
        [
            ("Mwanaisha", ["Mwanaisha", "Mwana Aisha"]),
            ("Zawadi", []),
            ("Rehema", ["Rahma"]),
            ("Kadzo", []),
            ("Sidi", []),
        ],
        [("Baya", []), ("Kazungu", []), ("Charo", []), ("Katana", []), ("Hamisi", ["Hamisy"])],
        [("Baya", []), ("Kazungu", []), ("Karisa", ["Kariza"]), ("Mwaruwa", []), ("Tsuma", [])],
    ),
    "somali": (
        [
            ("Fatuma", ["Fatma", "Faatuma"]),
            ("Amina", ["Aamina"]),
            ("Halima", ["Haleema"]),
            ("Hodan", []),
            ("Sahra", ["Sahara"]),
        ],
        [
            ("Mohamed", ["Mohammed", "Muhammad", "Mohamud"]),
            ("Abdi", ["Abdy"]),
            ("Hassan", ["Hasan"]),
            ("Ahmed", ["Ahmad"]),
            ("Ibrahim", ["Ibrahimu"]),
        ],
        [
            ("Abdullahi", ["Abdulahi", "Abdillahi"]),
            ("Hussein", ["Husein", "Hussain"]),
            ("Omar", ["Omari"]),
            ("Farah", []),
            ("Ali", ["Aly"]),
        ],
    ),
    "maasai": (
        [("Naserian", []), ("Nashipai", []), ("Resiato", [])],
        [("Lemayian", []), ("Saitoti", []), ("Sankale", []), ("Kipaa", [])],
        [("Ole Sankale", ["Olesankale", "ole Sankale"]), ("Lemayian", []), ("Parsitau", [])],
    ),
    "turkana": (
        [("Akai", []), ("Ekai", []), ("Nakiru", [])],
        [("Lokwang", []), ("Ekiru", []), ("Lokol", [])],
        [("Ekiru", []), ("Lokwang", []), ("Ewoi", [])],
    ),
}

# Rough weights so the demo is plausible, not a census.
COMMUNITY_WEIGHTS = {
    "kikuyu": 17,
    "luo": 11,
    "luhya": 14,
    "kalenjin": 13,
    "kamba": 10,
    "kisii": 6,
    "meru": 5,
    "coastal": 9,
    "somali": 6,
    "maasai": 3,
    "turkana": 3,
}

# Christian/English given names commonly used as first names in Kenya.
ENGLISH_FEMALE = ["Mary", "Grace", "Faith", "Mercy", "Esther", "Joyce", "Caroline", "Ann", "Lucy", "Beatrice"]
ENGLISH_MALE = ["John", "Peter", "Joseph", "David", "James", "Brian", "Kevin", "Dennis", "Samuel", "Collins"]

# Where demo persons live, by community (county codes); anyone may live in Nairobi or Mombasa.
HOME_COUNTIES = {
    "kikuyu": ["022", "019", "018", "021", "047"],
    "luo": ["042", "041", "043", "044", "047"],
    "luhya": ["037", "039", "040", "038", "047"],
    "kalenjin": ["027", "035", "036", "029", "028"],
    "kamba": ["016", "017", "015", "047"],
    "kisii": ["045", "046"],
    "meru": ["012", "013"],
    "coastal": ["001", "002", "003", "005"],
    "somali": ["007", "008", "009", "047"],
    "maasai": ["033", "034"],
    "turkana": ["023"],
}

# Foreign nationals seen in Kenyan cases (DOMAIN.md): transit and destination flows from the region.
FOREIGN_NAMES = {
    "ET": (["Tigist", "Hirut", "Meseret"], ["Abebe", "Tesfaye", "Dawit"], ["Bekele", "Tadesse", "Girma"]),
    "UG": (["Nakato", "Namukasa", "Nabirye"], ["Okello", "Mugisha", "Ssemakula"], ["Kato", "Mugisha", "Ssali"]),
    "TZ": (["Neema", "Rehema", "Upendo"], ["Juma", "Baraka", "Hamisi"], ["Mrisho", "Mushi", "Kimaro"]),
    "SO": (["Hodan", "Ayaan", "Filsan"], ["Abdirahman", "Yusuf", "Farah"], ["Warsame", "Jama", "Egal"]),
    "BI": (["Irakoze", "Ndayishimiye"], ["Niyonzima", "Hakizimana"], ["Nshimirimana", "Ndikumana"]),
}
