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

# More names per community, spelt one way (female given names, male given names, surnames). Together with the
# patronymic surnames (a father's given name used as the family name, common in most Kenyan communities) and the
# Christian names most people also carry, they give a vocabulary wide enough that two different persons rarely
# share all their names, as in a real registry; the short lists above carry the spelling variants the matcher
# must see through.
_MORE: dict[str, tuple[str, str, str]] = {
    "kikuyu": (
        "Wanjiru Wangui Waithira Wacera Njoki Wamaitha Wanja Gathoni Wahu Wangeci Nduta Wanjugu Mumbi Waceke"
        " Wakonyo Nyawira Mukami Waruguru Wamuyu Njambi Wachuka Wanjira Wathoni Nyakio Wamboi Wanjeri",
        "Mbugua Wainaina Njenga Karanja Kiarie Muriuki Gachanja Kangethe Ngigi Chege Wachira Thuo Gathogo Muchiri"
        " Githae Nderitu Ndirangu Gicheru Kahiga Muthee Irungu Kibe Mburu Wanyoike Kuria Njuguna Gachie Kiragu",
        "Kinyanjui Mungai Njau Kabiru Gathii Ndegwa Muigai Mathenge Wamae Kinuthia Gakuru Mureithi Kagwe Ngure"
        " Thiong'o Kamande Gatimu Kiama Kihara Mbuthia Ngari Nganga Gikonyo Kimotho",
    ),
    "luo": (
        "Akoth Aoko Awuor Amondi Ajwang Adongo Aluoch Akumu Akeyo Awiti Apondi Aketch Adoyo Ayoo Anyona Atoti"
        " Achola Akelo Abuya Aloo",
        "Odongo Ogutu Ochola Oloo Ojwang Opiyo Oyoo Obura Okumu Omollo Oketch Ooko Odero Oduya Okinyi Orwa Owiti"
        " Ouko Otiende Omolo Okech Ndege Olang Obiero Ogada Ongoro Okal",
        "Okumu Ogutu Ochola Oloo Ojwang Opiyo Oyoo Obura Omollo Oketch Ooko Odero Okinyi Orwa Owiti Ouko Otiende"
        " Ndege Olang Ogada Ongoro Okal Nyaga Osewe Olilo Awiti Oyugi Ongalo Okuku",
    ),
    "luhya": (
        "Nanjala Namalwa Nasambu Nabwire Nakhumicha Nangila Khasoa Mideva Kageha Musimbi Nekoye Nanyama Nabalayo"
        " Namukhula Nerima Nasike Kavai Ayuma Imali Mmbone",
        "Wamalwa Wasike Wabwire Masinde Wangila Wanyonyi Makhanu Wekulo Khaemba Munyasia Lusweti Wasilwa Mulama"
        " Amukowa Shitanda Namwamba Wamukota Kweyu Opicho Muhanji Shiundu Andanje Were Ambani Mukhebi",
        "Wamalwa Wasike Wabwire Masinde Wangila Wanyonyi Makhanu Wekulo Khaemba Munyasia Lusweti Wasilwa Mulama"
        " Amukowa Shitanda Wamukota Kweyu Opicho Shiundu Andanje Were Ambani Mukhebi Osundwa Ingutia Luvai",
    ),
    "kalenjin": (
        "Chepngetich Jerotich Chelangat Jepchirchir Chepkirui Jepkosgei Chemutai Cheptoo Chepchumba Jemutai"
        " Jepleting Chepngeno Chepkorir Jebichii Chesang Jepkorir Cherotich Chepkemoi Jeruto",
        "Kiprono Kipkemboi Kipruto Kiptanui Kipkorir Kiprop Kimutai Kipngetich Kipkoech Kiplimo Kemboi Tanui Keter"
        " Kibor Kirwa Kimeli Kipsang Kipyegon Kiprugut Kipchirchir Kiptum Kipkurui Kimaiyo Kirop",
        "Kosgei Kemboi Bett Tanui Keter Kibor Kirwa Kimeli Kipsang Ngeno Mutai Chirchir Korir Kiprop Kipkorir Too"
        " Ronoh Yego Tuwei Boit Serem Kering Kiplangat Chumba Biwot Kogo Maiyo Kurgat Limo Kimosop",
    ),
    "kamba": (
        "Mutheu Wayua Mumbua Nduku Ndanu Kalekye Kavata Kasyoka Ndunge Mbithe Nthenya Katunge Kaluki Mutanu"
        " Syombua Koki Wanza Mwikali Kamene Ndila Mwongeli Nzisa",
        "Mwendwa Kyalo Mutisya Mbithi Muthama Musau Wambua Kimeu Ndolo Makau Munyao Mulwa Kituku Nzomo Kisilu"
        " Mwanzia Kiilu Maundu Ndambuki Mutiso Nzuki Kasyoki Mumo Kitheka Muema",
        "Mwendwa Kyalo Mutisya Mbithi Muthama Musau Wambua Kimeu Ndolo Makau Munyao Mulwa Kituku Nzomo Kisilu"
        " Mwanzia Kiilu Maundu Ndambuki Mutiso Nzuki Kasyoki Mumo Kitheka Muema Mbuvi Ngei",
    ),
    "kisii": (
        "Kemunto Nyanchama Bosibori Mokeira Gesare Kemuma Nyamoita Bonareri Kwamboka Nyaboe Kerubo Nyakerario"
        " Nyanduko Moige Nyambeki",
        "Nyakundi Ombati Ongeri Mokaya Nyabuto Onsongo Omwenga Makori Oyaro Nyangau Bosire Mochama Ogeto Ondari"
        " Matara Monari Ogoti Mabeya Gichana Nyamongo Mosoti Kerosi Nyaanga Omosa",
        "Nyakundi Ombati Ongeri Mokaya Nyabuto Onsongo Omwenga Makori Oyaro Nyangau Bosire Mochama Ogeto Ondari"
        " Matara Monari Ogoti Mabeya Gichana Nyamongo Mosoti Kerosi Nyaanga Omosa Onyancha Nyaberi",
    ),
    "meru": (
        "Kawira Kagendo Nkirote Ntinyari Kinya Kathure Karambu Nkoroi Mwari Gacheri Kananu Ncooro Kanana",
        "Mwirigi Kinoti Muthomi Gitonga Mbaabu Kiogora Kaburu Mutwiri Mwenda Koome Mutembei Karimi Njeru"
        " Muriungi Kithinji Mbae Kiambati Kirema Gikunda Marete",
        "Mwirigi Kinoti Muthomi Gitonga Mbaabu Kiogora Kaburu Mutwiri Mwenda Koome Mutembei Karimi Njeru"
        " Muriungi Kithinji Mbae Kiambati Kirema Gikunda Marete Kimathi Kaaria",
    ),
    "coastal": (
        "Dama Kache Mwanajuma Saumu Riziki Mejumaa Kabibi Mapenzi Furaha Kadii Mbeyu Sofia Mwanaharusi Tabu"
        " Mwanamisi Kahonzi Nuru Salma Zuhura",
        "Kahindi Kenga Ngala Kombe Chengo Kai Randu Jefwa Nyale Mramba Shukuru Said Bakari Juma Athumani Salim"
        " Rashid Kitsao Mwero Ngumbao Kiponda Nzai Masha Mwadime Mwakio",
        "Kahindi Kenga Ngala Kombe Chengo Randu Jefwa Nyale Mramba Said Bakari Juma Athumani Salim Rashid Kitsao"
        " Mwero Ngumbao Kiponda Nzai Masha Mwadime Mwakio Mangi Mwamuye Dzombo",
    ),
    "somali": (
        "Ayaan Fartun Hawa Khadija Maryan Ubah Deeqa Ifrah Nasra Sagal Asha Zamzam Habiba Ruqiya Safiya Istahil"
        " Sadia Hibo Anab Nimo",
        "Abdirahman Yusuf Ismail Osman Aden Abdikadir Abdiaziz Abdirizak Dahir Noor Gedi Bashir Khalif Sheikh"
        " Abdinoor Salat Issack Hire Maalim Abdiwahab Hashim Mahat Billow Kassim Dubow",
        "Abdi Hassan Aden Noor Gedi Osman Ismail Ibrahim Dahir Sheikh Maalim Hirsi Warsame Jama Bille Dubow Kassim"
        " Guyo Billow Mahat Hashim Salat Issack Hire Khalif Abdikadir",
    ),
    "maasai": (
        "Naisula Nasieku Soila Sintamei Namunyak Sein Naipanoi Nkeeni Nalangu Naanyu Simaloi Nailantei",
        "Tiampati Kasaine Meitamei Parsimei Koikai Sironka Lenku Kisemei Kereto Nkoitiko Letoluo Lekakeny"
        " Kuyioni Mositet Leshan",
        "Ole Kasaine|Ole Kisemei|Ole Tiampati|Ole Meitamei|Ole Nkoitiko|Koikai|Sironka|Lenku|Parsimei|Leshan"
        "|Kuyioni|Mositet|Lekakeny",
    ),
    "turkana": (
        "Nakaale Akuam Nangiro Akiru Atabo Namoru Asekon Nasike Ngasike Akolong",
        "Ekal Lokeris Ewoton Emuria Ekidor Lomuria Etabo Ebei Eregae Lopeyok Nakuwa Esinyen Lotukoi Akal",
        "Ekal Lokeris Ewoton Emuria Ekidor Lomuria Etabo Ebei Eregae Lopeyok Nakuwa Esinyen Lotukoi Akal Ereng",
    ),
}


def _split(names: str) -> list[str]:
    return [n.strip() for n in (names.split("|") if "|" in names else names.split())]


def _widen() -> None:
    for community, lists in _MORE.items():
        for entries, more in zip(COMMUNITIES[community], lists, strict=True):
            known = {canonical for canonical, _ in entries} | {v for _, variants in entries for v in variants}
            entries.extend((name, []) for name in dict.fromkeys(_split(more)) if name not in known)


_widen()

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
ENGLISH_FEMALE = [
    "Mary",
    "Grace",
    "Faith",
    "Mercy",
    "Esther",
    "Joyce",
    "Caroline",
    "Ann",
    "Lucy",
    "Beatrice",
    "Jane",
    "Elizabeth",
    "Margaret",
    "Catherine",
    "Christine",
    "Diana",
    "Eunice",
    "Florence",
    "Gladys",
    "Irene",
    "Janet",
    "Josephine",
    "Judith",
    "Lilian",
    "Linet",
    "Loise",
    "Maureen",
    "Monica",
    "Nancy",
    "Naomi",
    "Phyllis",
    "Purity",
    "Rose",
    "Ruth",
    "Sarah",
    "Sharon",
    "Susan",
    "Teresia",
    "Veronica",
    "Winnie",
    "Agnes",
    "Alice",
    "Brenda",
    "Carol",
    "Damaris",
    "Edith",
    "Emily",
    "Evelyn",
    "Hellen",
    "Jackline",
    "Judy",
    "Mildred",
    "Pauline",
    "Rachael",
    "Rebecca",
    "Stella",
    "Violet",
    "Ivy",
    "Cynthia",
    "Dorcas",
    "Everlyne",
]
ENGLISH_MALE = [
    "John",
    "Peter",
    "Joseph",
    "David",
    "James",
    "Brian",
    "Kevin",
    "Dennis",
    "Samuel",
    "Collins",
    "Daniel",
    "Michael",
    "Stephen",
    "Paul",
    "George",
    "Francis",
    "Patrick",
    "Charles",
    "Anthony",
    "Robert",
    "Simon",
    "Moses",
    "Isaac",
    "Benjamin",
    "Edwin",
    "Elijah",
    "Emmanuel",
    "Eric",
    "Felix",
    "Geoffrey",
    "Gideon",
    "Henry",
    "Jackson",
    "Joel",
    "Kennedy",
    "Lawrence",
    "Martin",
    "Nicholas",
    "Philip",
    "Richard",
    "Timothy",
    "Victor",
    "Vincent",
    "Wilson",
    "Alex",
    "Allan",
    "Boniface",
    "Duncan",
    "Evans",
    "Fredrick",
    "Harrison",
    "Ian",
    "Job",
    "Levi",
    "Mark",
    "Nelson",
    "Oscar",
    "Silas",
    "Titus",
    "Wycliffe",
    "Erick",
    "Amos",
]

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
    "ET": (
        ["Tigist", "Hirut", "Meseret", "Selam", "Almaz", "Bethlehem", "Mekdes", "Hana", "Tsion", "Aster"],
        ["Abebe", "Tesfaye", "Dawit", "Yohannes", "Mulugeta", "Getachew", "Solomon", "Biruk", "Yonas", "Tewodros"],
        ["Bekele", "Tadesse", "Girma", "Haile", "Alemu", "Mekonnen", "Tefera", "Wolde", "Desta", "Assefa"],
    ),
    "UG": (
        ["Nakato", "Namukasa", "Nabirye", "Babirye", "Nansubuga", "Nalwoga", "Akello", "Achan", "Kyomuhendo"],
        ["Okello", "Mugisha", "Ssemakula", "Mukasa", "Kato", "Tumusiime", "Byaruhanga", "Ochen", "Waiswa"],
        ["Kato", "Mugisha", "Ssali", "Mukasa", "Tumusiime", "Byaruhanga", "Ochen", "Waiswa", "Nsubuga", "Lubega"],
    ),
    "TZ": (
        ["Neema", "Rehema", "Upendo", "Happiness", "Anna", "Subira", "Mwajuma", "Tumaini", "Eliza"],
        ["Juma", "Baraka", "Hamisi", "Emmanuel", "Godfrey", "Saidi", "Elia", "Frank", "Athumani"],
        ["Mrisho", "Mushi", "Kimaro", "Massawe", "Mwakyusa", "Mollel", "Lyimo", "Shirima", "Temba", "Swai"],
    ),
    "SO": (
        ["Hodan", "Ayaan", "Filsan", "Sahra", "Idil", "Najma", "Ladan", "Ubax"],
        ["Abdirahman", "Yusuf", "Farah", "Abdullahi", "Mustafe", "Liban", "Guled", "Shafici"],
        ["Warsame", "Jama", "Egal", "Samatar", "Nur", "Barre", "Elmi", "Awale"],
    ),
    "BI": (
        ["Irakoze", "Ndayishimiye", "Iteka", "Kaneza", "Ineza", "Mugisha"],
        ["Niyonzima", "Hakizimana", "Ndayizeye", "Nduwimana", "Bigirimana", "Manirakiza"],
        ["Nshimirimana", "Ndikumana", "Niyonkuru", "Nkurunziza", "Havyarimana", "Ntahomvukiye"],
    ),
}
