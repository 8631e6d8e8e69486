"""Duplicate detection for persons: name normalisation, a phonetic key for Kenyan and English names, blocking keys
for candidate retrieval, and a Fellegi-Sunter style pairwise score with reasons a case worker can read.

Pure Python (rapidfuzz for string distances), no Django: the module works on decrypted values in memory. The
store (ctip.people.matching_store) keeps `blocking_keys()` of every person as keyed blind indexes, looks up the
blind indexes of `query_keys()` of a probe, decrypts the few candidates found, `prepare()`s the probe once and
scores each candidate with `score_prepared()` (the registry-wide scan does the same per pair); batch
de-duplication and linkage in memory use `find_duplicates()` and `link()`, with the same keys.

Blocking
--------
Index keys are phonetic name-pair keys with the year of birth, one name with another's initial and the year, and
the date of birth (see `blocking_keys`); query keys add neighbouring years and, for a record without a year, all
years. On 1,000,000 persons of the demo generator (5.8 million keys, 1.6 million distinct) a key is shared by 3.7
persons on average and by 328 at most; 828,000 keys are shared by 2 to 200 persons, 66.5 million pairs in all, which
is what the batch scan has to consider (`bench/candidates.py --blocks`). A registration look-up decrypts and scores
at most the 35 persons sharing most keys with the probe.

How a pair is scored
--------------------
Every comparison (names, date of birth, sex, each identifier kind, locality) yields a *level*, e.g. ``dob_same``
or ``national_id_conflict``. Each level has hand-set probabilities ``m`` (the level is seen when both records are
the same person) and ``u`` (seen for two different persons that blocking brought together); its weight is
``log2(m / u)``. Weights of the comparisons are added (conditional independence, as in Fellegi-Sunter), a missing
value on either side contributes nothing (neutral). The total is turned into a 0..1 score with a logistic curve
centred on `MatchConfig.prior` (the log2 odds against a match among blocked candidates).

Names are compared as bags of tokens, whatever field they were typed in and in whatever order: the best one-to-one
assignment of tokens (exact, over all assignments) is taken, each assigned pair gets a token level, and tokens
left over in the record with more names are neutral. Two tokens agree only when they are the same after
normalisation, a known variant (Mohamed/Muhammad), or a phonetic variant that is also spelt almost the same. Names
that look alike but are different names (Wanjiku/Wanjiru, Otieno/Atieno, Wafula/Nafula) count as a disagreement,
close spellings of unknown names (likely typing errors) are slightly negative; see `token_level()`.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.utils import timezone
from rapidfuzz.distance import OSA, Indel, JaroWinkler, Levenshtein

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_CONFIG",
    "BlockingStats",
    "Match",
    "MatchConfig",
    "Reason",
    "Record",
    "blocking_keys",
    "find_duplicates",
    "link",
    "name_tokens",
    "normalise_name",
    "phonetic_key",
    "prepare",
    "query_keys",
    "score",
    "score_prepared",
    "token_level",
]

# ---------------------------------------------------------------------------------------------------------------
# Name normalisation
# ---------------------------------------------------------------------------------------------------------------

# Apostrophe-like characters are deleted (Achieng' -> achieng, Ndung'u -> ndungu, O'Brien -> obrien); they are
# replaced before NFKD because some (U+00B4) decompose into a space and a combining mark.
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u02b9"
_APOSTROPHE_TABLE = str.maketrans("", "", _APOSTROPHES)

# Spellings of the same name, to one canonical spelling. Mostly Arabic-origin names, whose transliteration varies
# (Somali, Swahili and English forms); plus Luo Achieng/Atieng. Keys and values are normalised tokens; a value
# never appears as a key, so the mapping is idempotent.
_VARIANT_GROUPS: dict[str, tuple[str, ...]] = {
    "mohamed": ("mohammed", "muhammad", "mohamud", "mohammad", "mohamad", "muhammed", "muhamed", "mohamedi")
    + ("mohammedi", "mahamed", "mohd", "muhamad"),
    "ahmed": ("ahmad", "ahamed", "ahmedi", "ahamad"),
    "hussein": ("husein", "hussain", "husain", "hussen", "husseini", "huseini", "husseni"),
    "abdullahi": ("abdulahi", "abdillahi", "abdallah", "abdalla", "abdullah", "abdulla", "abdallahi", "abdilahi"),
    "fatuma": ("fatma", "faatuma", "fatima", "fatumah", "fattuma", "faatima"),
    "hassan": ("hasan", "hassani", "hasani"),
    "ibrahim": ("ibrahimu", "ebrahim", "ibrahimi", "ibraahim"),
    "omar": ("omari", "umar", "omer", "umari"),
    "ali": ("aly", "alii"),
    "abdirahman": ("abdulrahman", "abdurahman", "abdirahaman", "abdurrahman", "abdiraham", "abdulrahaman"),
    "yusuf": ("yussuf", "yusuph", "yusufu", "youssef", "yousuf", "yousef", "yusufi"),
    "ismail": ("ismael", "ismaili", "ismaeli", "ismayil"),
    "suleiman": ("sulaiman", "suleman", "sulayman", "selemani", "suleimani", "sulemani", "slaiman"),
    "khadija": ("hadija", "kadija", "khadijah", "hadijah", "khadijja"),
    "mariam": ("maryam", "mariamu", "maryamu"),
    "rehema": ("rahma", "rehma", "rahama"),
    "zainab": ("zeinab", "zainabu", "zaynab", "zeinabu"),
    "amina": ("aamina", "aminah", "aminna"),
    "halima": ("haleema", "halimah", "halimu"),
    "athman": ("athumani", "athuman", "othman", "osman", "usman", "uthman", "othmani"),
    "swaleh": ("saleh", "salehe", "swalehe", "salih"),
    "salim": ("salimu", "saleem", "selim"),
    "mustafa": ("mustapha", "mustafe"),
    "abubakar": ("abubakari", "abubaker", "aboubakar", "abubakr"),
    "idris": ("idrisa", "idrissa", "idriss"),
    "musa": ("mussa", "moosa", "moussa"),
    "juma": ("jumaa",),
    "abdikadir": ("abdulkadir", "abdulqadir", "abdikadar", "abdiqadir"),
    "achieng": ("atieng",),
}
_CANONICAL: dict[str, str] = {v: k for k, vs in _VARIANT_GROUPS.items() for v in vs}

# Particles written either apart or joined to the next name: "Ole Sankale" == "Olesankale", "arap Moi",
# "Mwana Aisha" == "Mwanaisha" (a letter repeated across the join is kept once), "Abdul Rahman" == "Abdulrahman".
_JOIN_PARTICLES = frozenset({"ole", "arap", "mwana", "abdul", "abdel", "abd"})
# "Abdi" is a name of its own (Mohamed Abdi) but also the first half of theophoric names written apart.
_ABDI_SUFFIXES = frozenset(
    ("rahman", "rahim", "aziz", "kadir", "qadir", "karim", "latif", "fatah", "wahab", "nasir", "razak", "malik")
    + ("hakim", "majid", "salam", "hamid", "rashid", "nur", "noor", "wali", "fitah", "shakur", "jabar")
)
# Patronymic connectors that carry no identity of their own: "Ali bin Hassan" == "Ali Hassan".
_DROP_PARTICLES = frozenset({"bin", "binti", "bint", "ibn"})


def _fold(text: str, keep_digits: bool = False) -> str:
    """NFKD, drop combining marks, casefold; letters (and digits if asked) only, other characters become spaces."""
    text = text.translate(_APOSTROPHE_TABLE)
    for _ in range(3):  # casefold can produce new decomposable characters (e.g. U+0130); fold to a fixed point
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        if folded == text:
            break
        text = folded
    if keep_digits:
        return "".join(ch if ch.isalpha() or ch.isdigit() else " " for ch in text)
    return "".join(ch if ch.isalpha() else " " for ch in text)


def _join(left: str, right: str) -> str:
    return left + (right[1:] if left[-1:] == right[:1] else right)


def _canonical_tokens(raw_tokens: Sequence[str]) -> list[tuple[str, str]]:
    """(canonical token, display token) pairs from folded tokens: particles joined or dropped, variants mapped."""
    out: list[tuple[str, str]] = []
    i = 0
    n = len(raw_tokens)
    while i < n:
        tok = raw_tokens[i]
        nxt = raw_tokens[i + 1] if i + 1 < n else None
        if tok in _DROP_PARTICLES and (nxt is not None or out):
            i += 1  # a connector carries no identity wherever it stands (unless it is the whole name)
            continue
        if nxt is not None and (tok in _JOIN_PARTICLES or (tok == "abdi" and nxt in _ABDI_SUFFIXES)):
            joined = _join(tok, nxt)
            out.append((_CANONICAL.get(joined, joined), f"{tok} {nxt}"))
            i += 2
            continue
        out.append((_CANONICAL.get(tok, tok), tok))
        i += 1
    return out


@lru_cache(maxsize=131072)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(_fold(word).split())


def _tokens_with_display(text: str | None) -> list[tuple[str, str]]:
    # Folding works character by character, so a text folds word by word (names repeat: each word is folded once).
    if not text:
        return []
    return _canonical_tokens([tok for word in text.split() for tok in _fold_word(word)])


def normalise_name(text: str | None) -> str:
    """A name in canonical form: diacritics stripped, lower case, apostrophes removed, other punctuation as
    spaces, spaces collapsed, name particles joined ("Ole Sankale" -> "olesankale"), connectors dropped
    ("bin"), variant spellings of the same name mapped to one (Muhammad -> mohamed). Idempotent."""
    return " ".join(tok for tok, _ in _tokens_with_display(text))


def name_tokens(full_name: str | None) -> list[str]:
    """The canonical tokens of a name, in the order written ("Wanjikũ  Kamau" -> ["wanjiku", "kamau"])."""
    return [tok for tok, _ in _tokens_with_display(full_name)]


# ---------------------------------------------------------------------------------------------------------------
# Phonetic key
# ---------------------------------------------------------------------------------------------------------------

_VOWELS = frozenset("aeiou")
_CONSONANT_CLASS = "bcdfgjklmnpqrstvwxz"
_DOUBLES = re.compile(r"(.)\1+")
_MW_U = re.compile(rf"(?<=[{_CONSONANT_CLASS}])w(?=u)")
_SOFT_C = re.compile(r"c(?=[eiy])")


@lru_cache(maxsize=65536)
def respell(token: str) -> str:
    """A token rewritten by the phonetic rules below, vowels kept (used for spelling similarity of variants).

    Rules, applied in order to a canonical token:

    1. doubled letters collapse (Kimanni -> kimani, Okotth -> okoth, Nekessa -> nekesa);
    2. silent initial letters of English clusters go (kn, gn, wr, ps);
    3. ``tch`` -> ``ch`` (Koetch -> koech);
    4. initial ``ch`` -> ``j``: the Kalenjin C/J alternation (Chebet/Jebet, Chepkoech/Jepkoech); an initial ``c``
       before e/i/y is ``s`` (Cecilia);
    5. digraphs: ``sh`` -> X, ``ch`` -> C (a sound of its own inside a word), ``ph`` -> f, ``gh`` -> g
       (Njoroghe), ``dh`` -> d (Odhiambo/Odiambo), ``th`` -> t (Muthoni), ``kh`` -> k (Makokha), ``wh`` -> w,
       ``ck`` -> k; other ``c`` -> s before e/i/y and k elsewhere; ``q`` -> k, ``x`` -> ks, ``z`` -> s
       (Kariza/Karisa);
    6. ``w`` between a consonant and ``u`` goes (Mwueni/Mueni);
    7. a non-initial ``y`` is the vowel ``i`` (Mwangy, Otiyeno, Cheruiyot/Cheruyot, Akiny/Akinyi);
    8. a non-initial ``h`` left over is silent (Morah/Moraa, Sahra/Sahara);
    9. a final ``ng`` is ``n`` (the dropped-apostrophe/velar Ochieng/Ochien);
    10. doubled letters collapse again.
    """
    t = _DOUBLES.sub(r"\1", token)
    if len(t) > 2 and t[:2] in ("kn", "gn", "wr", "ps"):
        t = t[1:]
    t = t.replace("tch", "ch")
    if t.startswith("ch"):
        t = "j" + t[2:]
    t = t.replace("sh", "X").replace("ch", "C").replace("ph", "f").replace("gh", "g").replace("dh", "d")
    t = t.replace("th", "t").replace("kh", "k").replace("wh", "w").replace("ck", "k")
    t = _SOFT_C.sub("s", t).replace("c", "k").replace("q", "k").replace("x", "ks").replace("z", "s")
    t = _MW_U.sub("", t)
    if t:
        t = t[0] + t[1:].replace("y", "i").replace("h", "")
    if len(t) > 2 and t.endswith("ng"):
        t = t[:-1]
    return _DOUBLES.sub(r"\1", t)


@lru_cache(maxsize=65536)
def _key_of_canonical(token: str) -> str:
    t = respell(token)
    if not t:
        return ""
    return (t[0] + "".join(ch for ch in t[1:] if ch not in _VOWELS)).upper()


def phonetic_key(token: str) -> str:
    """A phonetic key for one name token, tuned for Kenyan and English names.

    The token is normalised (`normalise_name`, so Muhammad and Mohamed share a key), rewritten by the rules of
    `respell`, and reduced to its first letter plus the consonant skeleton: vowels after the first letter are
    dropped. The first letter is kept as written, vowel or not, because it often carries meaning: Luo names
    mark sex with an initial vowel (Otieno m./Atieno f., Odhiambo/Adhiambo) and Luhya ones with W-/N- (Wafula
    m./Nafula f.). Consonants other than those rewritten are kept, so Wanjiku (WNJK) and Wanjiru (WNJR), Kamau
    (KM) and Kimani (KMN) keep different keys.

    Examples: Chebet, Jebet, Chebett -> JBT; Achieng, Achieng', Atieng -> ACN; Otieno, Otiyeno -> OTN;
    Njoroge, Njoroghe -> NJRG; Wanjiku, Wanjikũ, Wanjiko -> WNJK; Ole Sankale, Olesankale -> OLSNKL.
    Given several words, the keys of its tokens are concatenated.
    """
    toks = name_tokens(token)
    return "".join(_key_of_canonical(t) for t in toks)


# ---------------------------------------------------------------------------------------------------------------
# Token comparison
# ---------------------------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common Kenyan (and a few English) names. Two *different* names that are both in this lexicon are different names
# however close their spelling (Wanjiku/Wanjiru, Kamau/Kiama, Wambui/Wambua): a one-letter difference between two
# known names is not a typing error. Variants of one name are not listed here (they are handled before).
KNOWN_NAMES: frozenset[str] = _words(
    """
    wanjiku nyambura wairimu njeri wambui wangari muthoni nyokabi wanjiru wanjugu wangui wangechi wamaitha njoki
    nyawira wacera wacuka wahu wamboi kamau njoroge mwangi kariuki githinji waweru ngugi macharia kimani maina
    wanjohi gitau ndungu kinyua kiama kimotho kahara kuria mugo mbugua gachanja gathoni kiarie karanja achieng
    akinyi atieno adhiambo awino anyango auma apiyo akoth aoko amondi otieno omondi ochieng onyango odhiambo
    owino okoth ouma okello oduor ogola owuor obonyo oluoch ooko opiyo okinyi odongo oketch ojwang nafula nekesa
    nasimiyu naliaka khavetsa makokha wafula barasa wekesa simiyu wanyama khisa shikuku mukhwana wanjala nanjala
    wanjiru nabwire wambua wambui chebet jepkemboi cherono jeptoo chepkoech jelagat kiprotich kipchumba
    cheruiyot kibet kiplagat rotich kiptoo koech langat kirui sang chelimo jepchirchir kiprono kipkemboi kemboi
    kosgei kiprop chepngetich mwende ndinda mueni syokau kanini mutua musyoka kioko mutinda muli kilonzo nzioka
    mwikali mutuku muthui mwita mwiti kasyoka ndunge kwamboka moraa nyaboke kerubo nyamweya ondieki mogaka
    onchari obiero momanyi kendi nkatha makena gatwiri mutuma kirimi mugambi murithi kaberia mwanaisha zawadi
    rehema kadzo sidi baya kazungu charo katana hamisi karisa mwaruwa tsuma fatuma amina halima hodan sahra
    mohamed abdi hassan ahmed ibrahim abdullahi hussein omar farah ali naserian nashipai resiato lemayian
    saitoti sankale kipaa olesankale parsitau akai ekai nakiru lokwang ekiru lokol ewoi mary grace faith mercy
    esther joyce caroline ann lucy beatrice john peter joseph david james brian kevin dennis samuel collins jane
    joan jean june mark martin marion
    """
)

# Look-alike pairs that are different names, beyond the lexicon rule and the initial-letter rule.
KNOWN_DISTINCT: frozenset[frozenset[str]] = frozenset(
    frozenset(p) for p in [("wanjiku", "wanjiru"), ("wambui", "wambua"), ("kamau", "kiama"), ("kamau", "kimani")]
)


EXACT = "name_exact"
VARIANT = "name_variant"
INITIAL = "name_initial"
CLOSE = "name_close"
DISTINCT = "name_distinct"
DISAGREE = "name_disagree"


def _transposed(a: str, b: str) -> bool:
    """Two adjacent letters swapped, nothing else."""
    return len(a) == len(b) and OSA.distance(a, b) == 1 and Levenshtein.distance(a, b) == 2


@lru_cache(maxsize=262144)
def _token_level_ordered(a: str, b: str) -> str:
    if a == b:
        return EXACT
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else DISAGREE
    if frozenset((a, b)) in KNOWN_DISTINCT:
        return DISTINCT
    ra, rb = respell(a), respell(b)
    if ra == rb:
        return VARIANT
    jw = JaroWinkler.normalized_similarity(ra, rb)
    if ra[:1] != rb[:1]:
        # A different first sound: Otieno/Atieno, Wafula/Nafula, Kibet/Chebet are different names.
        return DISTINCT if jw >= 0.8 else DISAGREE
    if _key_of_canonical(a) == _key_of_canonical(b) and jw >= 0.9:
        return VARIANT  # same consonants, vowels spelt differently (Wanjiku/Wanjiko, Haleema/Halima)
    both_known = a in KNOWN_NAMES and b in KNOWN_NAMES
    if min(len(a), len(b)) >= 5 and (Indel.distance(a, b) == 1 or _transposed(a, b)) and not both_known:
        # one letter added/dropped (Otieo/Otieno, Kiprotch/Kiprotich) or two letters swapped (Owour/Owuor) --
        # unless both spellings are names in their own right.
        return VARIANT
    if both_known:
        return DISTINCT
    if jw >= 0.88:
        return CLOSE
    return DISAGREE


def token_level(a: str, b: str) -> str:
    """The level of agreement of two canonical name tokens, symmetric in its arguments.

    ``name_exact``: same canonical token (so Mohamed/Muhammad, Fatma/Fatuma, Olesankale/Ole Sankale).
    ``name_variant``: the same name spelt differently -- same respelling (Chebet/Jebet, Njoroge/Njoroghe,
    Mwangi/Mwangy), or same phonetic key and Jaro-Winkler >= 0.9 on the respellings (Wanjiku/Wanjiko), or one
    letter dropped/added or two adjacent letters swapped in names of 5+ letters (Otieno/Otieo, Owuor/Owour) when
    the two spellings are not both known names.
    ``name_distinct``: different names that look alike -- a listed pair, a different first sound (Otieno/Atieno,
    Wafula/Nafula), or two different names of the lexicon (Wanjiku/Wanjiru). Weighted as a disagreement.
    ``name_close``: Jaro-Winkler >= 0.88 but none of the above (a probable typing error in an unknown name);
    slightly negative, because in a small name vocabulary a close spelling is often another name.
    ``name_initial``: an initial and a name starting with it. ``name_disagree``: anything else.
    """
    return _token_level_ordered(a, b) if a <= b else _token_level_ordered(b, a)


# ---------------------------------------------------------------------------------------------------------------
# Records, configuration, results
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Record:
    """The identity data of one person, decrypted, as the matcher sees it.

    `identifiers` maps a kind (national_id, passport, phone, email, or any other) to the set of its normalised
    values (ctip.people.normalize), `locality` holds free address/place tokens (village, sub-location, estate,
    postcode...), `birth_year` an (estimated) year of birth when the full date is unknown. Everything is optional;
    missing values are neutral.
    """

    id: Hashable
    given_names: str = ""
    family_name: str = ""
    other_names: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    birth_year: int | None = None
    sex: str | None = None
    identifiers: dict[str, set[str]] = field(default_factory=dict)
    locality: list[str] = field(default_factory=list)


class Reason(NamedTuple):
    """A machine-readable reason code and a short human text. Texts may quote names: show them only to users
    allowed to see the identities compared, and never log them."""

    code: str
    text: str


@dataclass(frozen=True)
class Match:
    """The comparison of two records: `score` in 0..1, `decision` ("match", "possible" or "non_match"), the
    reasons, the total log2 likelihood ratio `weight` and its parts per comparison (`components`)."""

    score: float
    decision: str
    reasons: list[Reason]
    weight: float
    components: dict[str, float]


MU = tuple[float, float]

_DEFAULT_MU: dict[str, MU] = {
    # name tokens (per assigned pair of tokens)
    EXACT: (0.88, 0.02),
    VARIANT: (0.07, 0.004),
    INITIAL: (0.9, 0.07),
    CLOSE: (0.03, 0.04),
    DISTINCT: (0.005, 0.9),  # a different real name is stronger evidence against than a garbled one
    DISAGREE: (0.01, 0.9),
    # date of birth
    "dob_same": (0.85, 1 / 3000),
    "dob_same_default_day": (0.85, 1 / 250),  # 1 January: recorded when only the year of birth is known
    "dob_day_month_swapped": (0.02, 1 / 3000),
    "dob_one_digit_typo": (0.05, 0.002),
    "dob_same_year_month": (0.01, 0.0015),
    "dob_same_year": (0.03, 0.018),
    "dob_conflict": (0.04, 0.96),
    "yob_same": (0.7, 0.03),
    "yob_near": (0.2, 0.06),
    "yob_conflict": (0.05, 0.85),
    # sex
    "sex_same": (0.97, 0.5),
    "sex_conflict": (0.03, 0.5),
    # identifiers (levels are "<kind>_same", "<kind>_typo", "<kind>_conflict"; "id_*" is the fallback)
    "national_id_same": (0.9, 1e-5),
    "national_id_typo": (0.06, 2e-4),
    "national_id_conflict": (0.04, 0.9998),
    "passport_same": (0.9, 1e-5),
    "passport_typo": (0.05, 2e-4),
    "passport_conflict": (0.3, 0.9998),
    "phone_same": (0.6, 5e-4),
    "phone_typo": (0.03, 2e-4),
    "phone_conflict": (0.4, 0.9995),
    "email_same": (0.6, 1e-5),
    "email_conflict": (0.5, 0.99999),
    "id_same": (0.8, 1e-4),
    "id_typo": (0.05, 5e-4),
    "id_conflict": (0.3, 0.9999),
    # locality tokens (fuzzy overlap)
    "locality_same": (0.5, 2e-4),
    "locality_similar": (0.3, 0.005),
    "locality_same_area": (0.5, 0.06),
    "locality_weak": (0.1, 0.15),
    "locality_conflict": (0.05, 0.815),
    "locality_differs": (0.3, 0.9),
}

# Days of the year written when only the year of birth is known (Kenyan registration practice: 1 January).
DEFAULT_BIRTH_DAYS = frozenset({(1, 1)})

# Identifier kinds whose values may be mistyped by one character and still denote the same document.
_TYPO_KINDS = frozenset({"national_id", "passport", "phone"})


@dataclass(frozen=True)
class MatchConfig:
    """Hand-set m/u probabilities per comparison level, the prior log2 odds and the decision thresholds.

    score = 1 / (1 + 2 ** (prior - weight)); decision "match" when score >= match_score, "possible" when
    score >= possible_score. A level listed in `cap_at_possible` (e.g. "national_id_conflict", for a registry
    where an ID number is known to be unique per person) turns a "match" into "possible", whatever the weight:
    the default configuration has none, so it stays a plain Fellegi-Sunter model (validated on FEBRL, whose
    corrupted duplicates often carry a different social security number).
    """

    mu: Mapping[str, MU] = field(default_factory=lambda: dict(_DEFAULT_MU))
    prior: float = 12.0
    match_score: float = 0.5
    possible_score: float = 0.05
    max_name_tokens: int = 8
    cap_at_possible: frozenset[str] = frozenset()

    def weight(self, level: str) -> float:
        """log2(m/u) for an agreement level, log2 of the likelihood ratio in general."""
        m, u = self.mu[level]
        return math.log2(m / u)

    @cached_property
    def weights(self) -> dict[str, float]:
        """The weight of every level."""
        return {level: self.weight(level) for level in self.mu}

    def decide(self, weight: float, levels: Iterable[str] = ()) -> tuple[float, str]:
        """(score, decision) for a total weight and the levels seen."""
        x = max(-60.0, min(60.0, weight - self.prior))
        s = 1.0 / (1.0 + 2.0 ** (-x))
        if s >= self.match_score:
            if self.cap_at_possible and not self.cap_at_possible.isdisjoint(levels):
                return s, "possible"
            return s, "match"
        if s >= self.possible_score:
            return s, "possible"
        return s, "non_match"


DEFAULT_CONFIG = MatchConfig()


# ---------------------------------------------------------------------------------------------------------------
# Prepared records and comparisons
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    record: Record
    names: list[list[tuple[str, str]]]  # primary name first, then aliases; each a list of (token, display)
    name_tokens: list[tuple[str, ...]]
    dob: date | None
    year: int | None
    sex: str | None
    identifiers: dict[str, frozenset[str]]
    locality: frozenset[str]
    locality_fuzzy: tuple[str, ...]  # the locality tokens that may agree approximately (words of 4+ letters)
    locality_text: str  # all locality text in order, without spaces (for words split or joined differently)


def _full_name(record: Record) -> str:
    """Given and family names as one name: which field a name was written in does not matter, and a particle
    at the end of one field binds to the first name of the next ("Ole" + "Sankale")."""
    return f"{record.given_names or ''} {record.family_name or ''}"


def _prepare(record: Record, config: MatchConfig = DEFAULT_CONFIG) -> _Prepared:
    limit = config.max_name_tokens
    primary = _tokens_with_display(_full_name(record))[:limit]
    names = [primary] if primary else []
    for alias in record.other_names:
        toks = _tokens_with_display(alias)[:limit]
        if toks:
            names.append(toks)
    sex = (record.sex or "").strip().upper()[:1] or None
    if sex not in ("F", "M"):
        sex = None
    year = record.date_of_birth.year if record.date_of_birth else record.birth_year
    identifiers = {
        kind: frozenset(v for v in values if v) for kind, values in record.identifiers.items() if any(values)
    }
    words = {t for raw in record.locality for t in _fold(raw).split()}
    numbers = {d for raw in record.locality for d in re.findall(r"\d+", raw)}
    locality = frozenset(words | numbers)
    fuzzy = tuple(sorted(t for t in words if len(t) >= 4))
    text = "".join(ch for raw in record.locality for ch in _fold(raw, keep_digits=True) if not ch.isspace())
    return _Prepared(
        record,
        names,
        [tuple(t for t, _ in n) for n in names],
        record.date_of_birth,
        year,
        sex,
        identifiers,
        locality,
        fuzzy,
        text,
    )


def _title(display: str) -> str:
    return " ".join(w.capitalize() for w in display.split())


def _assign(a: Sequence[str], b: Sequence[str], weights: Mapping[str, float]) -> tuple[float, list[tuple[int, int]]]:
    """Best one-to-one assignment of the tokens of the shorter list to tokens of the other, maximising the sum
    of the token weights (exact: every assignment is considered). Returns (total weight, [(index in a, index in
    b)]); the total is symmetric in a and b whatever the tie-breaking."""
    swap = len(a) > len(b)
    small, large = (b, a) if swap else (a, b)
    n, m = len(small), len(large)
    if n == 0:
        return 0.0, []
    w = [[weights[token_level(s, t)] for t in large] for s in small]
    if n == 1:
        j = max(range(m), key=w[0].__getitem__)
        total, picks = w[0][j], (j,)
    elif n <= 4:
        total, picks = -math.inf, ()
        for perm in itertools.permutations(range(m), n):
            t = sum(w[i][j] for i, j in enumerate(perm))
            if t > total + 1e-12:
                total, picks = t, perm
    else:
        # dynamic programming over the set of used tokens of the longer list
        best: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
        for i in range(n):
            nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
            for mask, (acc, chosen) in best.items():
                for j in range(m):
                    if mask & (1 << j):
                        continue
                    cand = acc + w[i][j]
                    key = mask | (1 << j)
                    old = nxt.get(key)
                    if old is None or cand > old[0] + 1e-12:
                        nxt[key] = (cand, (*chosen, j))
            best = nxt
        total, picks = max(best.values(), key=lambda tp: tp[0])
    pairs = [(j, i) if swap else (i, j) for i, j in enumerate(picks)]
    return math.fsum(w[i][j] for i, j in enumerate(picks)), pairs


def _name_weight(pa: _Prepared, pb: _Prepared, weights: Mapping[str, float]) -> tuple[float, int, int, list]:
    """The best weight over the names (primary and aliases) of both records, with the names and pairs used.

    Ties (two name pairs or two assignments of equal weight) are broken in one canonical orientation of the two
    records, so that comparing a with b and b with a explains the match with the same names and pairs."""
    if pb.name_tokens < pa.name_tokens:
        total, ib, ia, flipped = _name_weight(pb, pa, weights)
        return total, ia, ib, [(i, j) for j, i in flipped]
    best_total = -math.inf
    best: tuple[int, int, list[tuple[int, int]]] = (0, 0, [])
    for ia, ta in enumerate(pa.name_tokens):
        for ib, tb in enumerate(pb.name_tokens):
            total, pairs = _assign(ta, tb, weights)
            if total > best_total + 1e-12:
                best_total, best = total, (ia, ib, pairs)
    return best_total, best[0], best[1], best[2]


def _name_reasons(pa: _Prepared, pb: _Prepared, ia: int, ib: int, pairs: list[tuple[int, int]]) -> list[Reason]:
    na, nb = pa.names[ia], pb.names[ib]
    reasons: list[Reason] = []
    levels = [token_level(na[i][0], nb[j][0]) for i, j in pairs]
    if ia > 0 or ib > 0:
        reasons.append(Reason("name_alias", "Compared through another name (alias)"))
    if levels and all(lv in (EXACT, VARIANT) for lv in levels):
        in_order = [j for _, j in sorted(pairs)] == sorted(j for _, j in pairs)
        spelt_alike = all(lv == EXACT and na[i][1] == nb[j][1] for (i, j), lv in zip(pairs, levels, strict=True))
        if len(na) != len(nb):
            reasons.append(Reason("name_same_tokens_subset", "All names of the shorter name appear in the other"))
        elif not in_order:
            reasons.append(Reason("name_same_tokens_any_order", "Names match in a different order"))
        elif spelt_alike:
            reasons.append(Reason("name_same", "Same name"))
    for (i, j), lv in zip(pairs, levels, strict=True):
        da, db = _title(na[i][1]), _title(nb[j][1])
        if lv == EXACT and na[i][1] != nb[j][1] or lv == VARIANT:
            reasons.append(Reason("name_phonetic_variant", f"{da} ~ {db}"))
        elif lv == INITIAL:
            reasons.append(Reason("name_initial", f"{da} ~ {db} (initial)"))
        elif lv == CLOSE:
            reasons.append(Reason("name_close_spelling", f"{da} / {db}: close spelling, may be a different name"))
        elif lv == DISTINCT:
            reasons.append(Reason("name_different_lookalike", f"{da} / {db}: different names that look alike"))
        elif lv == DISAGREE:
            reasons.append(Reason("name_conflict", f"{da} / {db}: different names"))
    if len(na) != len(nb):
        reasons.append(Reason("name_extra_tokens", "One record has more names than the other"))
    return reasons


def _digits_of(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _one_edit(a: str, b: str) -> bool:
    """One character substituted, or two adjacent characters swapped (same length)."""
    return len(a) == len(b) and OSA.distance(a, b) == 1


def _compare_dob(pa: _Prepared, pb: _Prepared) -> tuple[str, Reason] | None:
    a, b = pa.dob, pb.dob
    if a is not None and b is not None:
        if a == b:
            if (a.month, a.day) in DEFAULT_BIRTH_DAYS:
                return "dob_same_default_day", Reason("dob_same", "Same date of birth (1 January, often a default)")
            return "dob_same", Reason("dob_same", "Same date of birth")
        if a.year == b.year and a.day == b.month and a.month == b.day:
            return "dob_day_month_swapped", Reason("dob_day_month_swapped", "Date of birth with day and month swapped")
        if _one_edit(_digits_of(a), _digits_of(b)):
            return "dob_one_digit_typo", Reason("dob_one_digit_typo", "Dates of birth differ by one digit")
        if a.year == b.year and a.month == b.month:
            return "dob_same_year_month", Reason("dob_same_year_month", "Same month and year of birth")
        if a.year == b.year:
            return "dob_same_year", Reason("dob_same_year", "Same year of birth, different day")
        return "dob_conflict", Reason("dob_conflict", "Different dates of birth")
    if pa.year is not None and pb.year is not None:
        gap = abs(pa.year - pb.year)
        if gap == 0:
            return "yob_same", Reason("yob_same", "Same (estimated) year of birth")
        if gap == 1:
            return "yob_near", Reason("yob_near", "Years of birth one year apart")
        if gap == 2:
            return None
        return "yob_conflict", Reason("yob_conflict", "Years of birth far apart")
    return None


def _compare_identifiers(pa: _Prepared, pb: _Prepared, config: MatchConfig) -> list[tuple[str, str, Reason]]:
    out: list[tuple[str, str, Reason]] = []
    for kind in sorted(pa.identifiers.keys() & pb.identifiers.keys()):
        va, vb = pa.identifiers[kind], pb.identifiers[kind]
        label = kind.replace("_", " ")
        level_kind = kind if f"{kind}_same" in config.mu else "id"
        if va & vb:
            out.append((kind, f"{level_kind}_same", Reason(f"{kind}_same", f"Same {label}")))
        elif (kind in _TYPO_KINDS or level_kind == "id") and any(_one_edit(x, y) for x in va for y in vb):
            out.append(
                (kind, f"{level_kind}_typo", Reason("id_one_digit_typo", f"{label.capitalize()} differs by one digit"))
            )
        else:
            out.append((kind, f"{level_kind}_conflict", Reason(f"{kind}_conflict", f"Different {label}")))
    return out


_FULL_ADDRESS_CHARS = 20


def _locality_level(pa: _Prepared, pb: _Prepared) -> str | None:
    a, b = pa.locality, pb.locality
    if not a or not b:
        return None
    agree = len(a & b)
    rest_a = [t for t in pa.locality_fuzzy if t not in b]
    rest_b = [t for t in pb.locality_fuzzy if t not in a]
    if rest_a and rest_b:
        used: set[int] = set()
        for t in rest_a:
            for j, u in enumerate(rest_b):
                if j not in used and JaroWinkler.normalized_similarity(t, u) >= 0.9:
                    used.add(j)
                    agree += 1
                    break
    dice = 2 * agree / (len(a) + len(b))
    # A full address (4+ words agreeing, or 20+ letters) is specific; a place name alone is not. Character
    # similarity of the whole text catches words split or joined differently ("haines street"/"hainesstreet").
    full = agree >= 4 or min(len(pa.locality_text), len(pb.locality_text)) >= _FULL_ADDRESS_CHARS
    sim = max(dice, Indel.normalized_similarity(pa.locality_text, pb.locality_text)) if full else dice
    if sim >= 0.8 and full:
        return "locality_same"
    if sim >= 0.6 and full and agree >= 2:
        return "locality_similar"
    if dice >= 0.8:
        return "locality_same_area"
    if dice >= 0.25:
        return "locality_weak"
    # Two full addresses that differ are evidence against; two place names (a county, a village) that differ much
    # less so: people move, and a trafficked person's home and the place they were found differ by design.
    return "locality_conflict" if full else "locality_differs"


_LOCALITY_TEXT = {
    "locality_same": "Same address",
    "locality_same_area": "Same locality",
    "locality_similar": "Similar address/locality",
    "locality_weak": "Address/locality partly alike",
    "locality_conflict": "Different address",
    "locality_differs": "Different locality",
}


def _score_prepared(pa: _Prepared, pb: _Prepared, config: MatchConfig, *, explain: bool = True) -> Match:
    weights = config.weights
    components: dict[str, float] = {}
    reasons: list[Reason] = []
    levels: list[str] = []
    if pa.names and pb.names:
        name_w, ia, ib, pairs = _name_weight(pa, pb, weights)
        components["name"] = name_w
        if explain:
            reasons += _name_reasons(pa, pb, ia, ib, pairs)
    elif explain:
        reasons.append(Reason("name_missing", "A name is missing on one side"))
    dob = _compare_dob(pa, pb)
    if dob is not None:
        components["dob"] = weights[dob[0]]
        levels.append(dob[0])
        reasons.append(dob[1])
    if pa.sex and pb.sex:
        level = "sex_same" if pa.sex == pb.sex else "sex_conflict"
        components["sex"] = weights[level]
        levels.append(level)
        if level == "sex_conflict":
            reasons.append(Reason("sex_conflict", "Different sex recorded"))
    if pa.identifiers and pb.identifiers:
        for kind, level, reason in _compare_identifiers(pa, pb, config):
            components[kind] = weights[level]
            levels.append(level)
            reasons.append(reason)
    loc = _locality_level(pa, pb)
    if loc is not None:
        components["locality"] = weights[loc]
        levels.append(loc)
        reasons.append(Reason(loc, _LOCALITY_TEXT[loc]))
    weight = math.fsum(components.values())
    s, decision = config.decide(weight, levels)
    return Match(score=s, decision=decision, reasons=reasons, weight=weight, components=components)


def score(a: Record, b: Record, config: MatchConfig = DEFAULT_CONFIG) -> Match:
    """Compare two records. Symmetric in its arguments (score, decision and weight; the reason texts name a's
    spelling first)."""
    return _score_prepared(_prepare(a, config), _prepare(b, config), config)


def prepare(record: Record, config: MatchConfig = DEFAULT_CONFIG) -> _Prepared:
    """A record made ready for comparison (names tokenised, identifiers and locality folded), for callers that
    compare the same record many times (the batch duplicate scan): prepare once, then `score_prepared`."""
    return _prepare(record, config)


def score_prepared(
    pa: _Prepared, pb: _Prepared, config: MatchConfig = DEFAULT_CONFIG, *, explain: bool = True
) -> Match:
    """`score` of two prepared records; with explain=False the name reasons are left out (same score and decision,
    faster)."""
    return _score_prepared(pa, pb, config, explain=explain)


# ---------------------------------------------------------------------------------------------------------------
# Blocking
# ---------------------------------------------------------------------------------------------------------------


def _year(record: Record) -> int | None:
    return record.date_of_birth.year if record.date_of_birth else record.birth_year


def _name_keys(tokens: Sequence[str], limit: int = 3) -> list[str]:
    """Distinct phonetic keys of the tokens (initials skipped), at most `limit`: the first, the last and the
    second name, which are the given name and the family name in most records."""
    keys = [k for k in (_key_of_canonical(t) for t in tokens if len(t) > 1) if k]
    distinct = list(dict.fromkeys(keys))
    if len(distinct) <= limit:
        return distinct
    return list(dict.fromkeys([distinct[0], distinct[-1], *distinct[1:-1]]))[:limit]


def _pairs_and_initials(record: Record) -> tuple[list[str], list[str]]:
    """Unordered pairs of name keys ("K1|K2", primary name and first alias) and (key, initial of another name)
    combinations ("K|i")."""
    primary = _name_keys(name_tokens(_full_name(record)))
    pairs = ["|".join(sorted(p)) for p in itertools.combinations(primary, 2)]
    for alias in record.other_names[:1]:
        ak = _name_keys(name_tokens(alias), 2)
        if len(ak) == 2:
            pairs.append("|".join(sorted(ak)))
    initials: list[str] = []
    if len(primary) >= 2:
        first, last = primary[0], primary[-1]
        initials = [f"{first}|{last[0]}", f"{last}|{first[0]}"]
        if len(primary) == 3:
            initials.append(f"{primary[1]}|{first[0]}")
    return list(dict.fromkeys(pairs)), list(dict.fromkeys(initials))


def _dob_key(d: date) -> str:
    lo, hi = sorted((d.day, d.month))
    return f"dob:{d.year}|{lo}|{hi}"


def blocking_keys(record: Record) -> set[str]:
    """The keys under which a record is *indexed* for candidate retrieval (at most 12; store them as keyed blind
    indexes). Look candidates up with `query_keys`, which adds the neighbouring years and, for a record without a
    year of birth, every year: two records are candidates when the query keys of one meet the index keys of the
    other (a symmetric relation).

    With a (possibly estimated) year of birth ``yyyy``:

    - ``nny:<K1>|<K2>|<yyyy>``: an unordered pair of phonetic keys of two of the (up to three) names, so name order
      and the field a name was typed in do not matter, and the year (<= 3 keys, + 1 for the first alias);
    - ``nyi:<K>|<i>|<yyyy>``: one name's phonetic key, the initial of another name and the year -- finds records
      where the other name is misspelt beyond a phonetic variant (<= 3 keys);
    - ``dob:<yyyy>|<lower of day, month>|<higher>``: the date of birth, insensitive to a day/month swap (1 key);
    - ``nn:<K1>|<K2>``: the name pairs without the year, which records without a year are indexed under too.

    Without a year of birth: ``nn:<K1>|<K2>`` name pairs and ``ni:<K>|<i>`` name-and-initial keys (so a name
    misspelt beyond a phonetic variant is still found when there is no date: issue 13). Identifiers (national
    ID, passport, phone, e-mail) are exact look-ups of their own blind indexes and are not repeated here (the
    store adds one-digit-wrong variant keys of numbers: matching_store.identifier_variant_keys). A record with a
    single name and no date of birth has no key (only its identifiers can find it).
    """
    pairs, initials = _pairs_and_initials(record)
    year = _year(record)
    if year is None:
        return {f"nn:{p}" for p in pairs} | {f"ni:{k}" for k in initials}
    keys = {f"nny:{p}|{year}" for p in pairs} | {f"nyi:{k}|{year}" for k in initials}
    # The year-less name pairs too, so the batch scan pairs a re-registration without a date of birth (and without
    # an identifier) with the first registration that had one (issue 13: 3 of the 28 planted pairs of the small
    # demo were missed for this alone).
    keys.update(f"nn:{p}" for p in pairs)
    if record.date_of_birth is not None:
        keys.add(_dob_key(record.date_of_birth))
    return keys


def query_keys(record: Record, years: Iterable[int] | None = None) -> set[str]:
    """The keys to look up to find the candidates of `record` among records indexed by `blocking_keys`.

    A record with a year of birth y looks up its own keys, the name-pair keys of years y-1 and y+1 (estimated
    ages, a mistyped year) and the ``nn:`` and ``ni:`` keys of records that have no year. A record without a year
    looks up its ``nn:`` and ``ni:`` keys and its name pairs and name-and-initial keys in each of `years` (default:
    the last 100 years) -- a wide net, as names are all there is to go on. At most 23 keys in the first case,
    7 x len(years) + 7 in the second.
    """
    pairs, initials = _pairs_and_initials(record)
    year = _year(record)
    keys = {f"nn:{p}" for p in pairs} | {f"ni:{k}" for k in initials}
    if year is None:
        if years is None:
            this_year = timezone.localdate().year
            years = range(this_year - 100, this_year + 1)
        for y in years:
            keys.update(f"nny:{p}|{y}" for p in pairs)
            keys.update(f"nyi:{k}|{y}" for k in initials)
        return keys
    for y in (year - 1, year, year + 1):
        keys.update(f"nny:{p}|{y}" for p in pairs)
    keys.update(f"nyi:{k}|{year}" for k in initials)
    if record.date_of_birth is not None:
        keys.add(_dob_key(record.date_of_birth))
    return keys


KeyFunction = Callable[[Record], Iterable[str]]


@dataclass
class BlockingStats:
    """Counters of a batch run: records, index keys, pairs scored, and blocks skipped for being too large."""

    records: int = 0
    keys: int = 0
    pairs_compared: int = 0
    skipped_blocks: int = 0
    skipped_records: int = 0
    largest_block: int = 0


def _index(
    records: Sequence[Record], extra_keys: KeyFunction | None, max_block: int, stats: BlockingStats
) -> dict[str, list[int]]:
    """key -> positions of the records indexed under it; blocks over `max_block` are dropped and counted."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        keys = blocking_keys(r)
        if extra_keys is not None:
            keys.update(extra_keys(r))
        for k in keys:
            index[k].append(i)
    stats.keys += len(index)
    for k in [k for k, members in index.items() if len(members) > max_block]:
        stats.largest_block = max(stats.largest_block, len(index[k]))
        stats.skipped_blocks += 1
        stats.skipped_records += len(index.pop(k))
    stats.largest_block = max([stats.largest_block, *(len(m) for m in index.values())])
    return index


def _observed_years(records: Iterable[Record]) -> list[int]:
    return sorted({y for y in (_year(r) for r in records) if y is not None})


def _query(record: Record, extra_keys: KeyFunction | None, years: Sequence[int]) -> set[str]:
    keys = query_keys(record, years)
    if extra_keys is not None:
        keys.update(extra_keys(record))
    return keys


def find_duplicates(
    records: Sequence[Record],
    threshold: float | None = None,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    extra_keys: KeyFunction | None = None,
    max_block: int = 1000,
    stats: BlockingStats | None = None,
) -> list[tuple[Hashable, Hashable, Match]]:
    """Pairs of records that are probably the same person: (id_a, id_b, Match) with score >= `threshold`
    (default: the config's "possible" threshold), best first.

    Candidates come from an inverted index of `blocking_keys`, looked up with `query_keys` (plus
    `extra_keys(record)` on both sides when given, for data with other fields). The candidate relation is
    symmetric, so each pair is scored once, from its first record; nothing but the index and the prepared records
    is kept (no set of pairs). Blocks larger than `max_block` are skipped and counted in `stats` (and logged), so
    one very common key cannot make the run quadratic.
    """
    stats = stats if stats is not None else BlockingStats()
    threshold = config.possible_score if threshold is None else threshold
    stats.records = len(records)
    index = _index(records, extra_keys, max_block, stats)
    years = _observed_years(records)
    prepared = [_prepare(r, config) for r in records]
    out: list[tuple[Hashable, Hashable, Match]] = []
    for i, record in enumerate(records):
        found: set[int] = set()
        for k in _query(record, extra_keys, years):
            found.update(j for j in index.get(k, ()) if j > i)
        for j in sorted(found):
            stats.pairs_compared += 1
            m = _score_prepared(prepared[i], prepared[j], config, explain=False)
            if m.score >= threshold:
                out.append((record.id, records[j].id, _score_prepared(prepared[i], prepared[j], config)))
    if stats.skipped_blocks:
        logger.warning("find_duplicates: %d blocks larger than %d skipped", stats.skipped_blocks, max_block)
    out.sort(key=lambda t: -t[2].score)
    return out


def link(
    records_a: Sequence[Record],
    records_b: Sequence[Record],
    threshold: float | None = None,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    extra_keys: KeyFunction | None = None,
    max_block: int = 1000,
    stats: BlockingStats | None = None,
) -> list[tuple[Hashable, Hashable, Match]]:
    """Pairs (id in a, id in b, Match) across two sets of records with score >= `threshold`, best first. Same
    blocking as `find_duplicates`: `records_b` is indexed, each record of `records_a` looks its candidates up
    (blocks of more than `max_block` records of b are skipped); each candidate pair is scored once."""
    stats = stats if stats is not None else BlockingStats()
    threshold = config.possible_score if threshold is None else threshold
    stats.records = len(records_a) + len(records_b)
    index = _index(records_b, extra_keys, max_block, stats)
    years = _observed_years(records_b)
    prep_b = [_prepare(r, config) for r in records_b]
    out: list[tuple[Hashable, Hashable, Match]] = []
    for record in records_a:
        found: set[int] = set()
        for k in _query(record, extra_keys, years):
            found.update(index.get(k, ()))
        if not found:
            continue
        pa = _prepare(record, config)
        for j in sorted(found):
            stats.pairs_compared += 1
            m = _score_prepared(pa, prep_b[j], config, explain=False)
            if m.score >= threshold:
                out.append((record.id, records_b[j].id, _score_prepared(pa, prep_b[j], config)))
    if stats.skipped_blocks:
        logger.warning("link: %d blocks larger than %d skipped", stats.skipped_blocks, max_block)
    out.sort(key=lambda t: -t[2].score)
    return out
