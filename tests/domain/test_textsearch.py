"""The FAQ search: word forms per language, ranking, and the entries offered before asking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.textsearch import (
    MAX_QUERY_TERMS,
    Index,
    best_matches,
    fold,
    offer,
    rank,
    ranked,
    search,
    stored_stems,
    terms,
)


def as_is(entry: tuple[str, str, str]) -> tuple[str, str, str]:
    """Entries in these tests are already (title, body, language)."""
    return entry


@pytest.mark.parametrize(
    ("query", "title", "language"),
    [
        ("VERGUNNINGEN", "Hoe vraag ik een vergunning aan?", "nl"),
        ("fêtes", "Organiser une fete de quartier", "fr"),
        ("autorisations", "Demander une autorisation", "fr"),
        ("permits", "How to get a permit", "en"),
        ("subsidie", "Welke subsidies bestaan er?", "nl"),
        ("zalen huren", "Hoe huur ik een zaal?", "nl"),
        ("réservations", "Réserver une salle", "fr"),
        ("bénévoles", "Devenir bénévole", "fr"),
        ("volunteering", "Become a volunteer", "en"),
        ("registrations", "Register your association", "en"),
    ],
)
def test_words_match_whatever_their_case_accents_or_endings(query, title, language):
    entry = (title, "", language)
    assert rank(query, language, [entry], as_is) == [entry]


def test_the_stemmer_follows_the_language_of_the_text():
    assert terms("Hoe huur ik een zaal?", "nl") == terms("zalen huren", "nl") == {"huur", "zaal"}
    assert terms("Réservations de salles", "fr") == {"reserv", "sall"}
    assert terms("Réservations de salles", "nl") != terms("Réservations de salles", "fr")


def test_an_entry_in_french_is_read_as_french_whatever_the_language_of_the_query():
    french = ("Réservations de salles", "", "fr")
    same_text_taken_for_dutch = ("Réservations de salles", "", "nl")
    assert rank("reserveren", "nl", [french], as_is) == [french]
    assert rank("reserveren", "nl", [same_text_taken_for_dutch], as_is) == []


def test_stop_words_and_short_words_are_left_out_but_numbers_are_kept():
    assert terms("Hoe kan ik de zaal op 12 mei huren?", "nl") == {"zaal", "12", "mei", "huur"}
    assert terms("Comment et quand", "fr") == set()
    assert terms("How can we do it", "en") == set()


def test_accents_and_case_are_folded():
    assert fold("Élève À L'ÉCOLE") == "eleve a l'ecole"


def test_an_unknown_language_is_read_as_dutch():
    assert terms("zalen huren", "de") == terms("zalen huren", "nl")
    entry = ("Hoe huur ik een zaal?", "", "xx")
    assert rank("zalen", "??", [entry], as_is) == [entry]


def test_ranking_puts_title_matches_first_and_drops_unrelated_entries():
    entries = [
        ("Zalen huren", "Over de vergunning voor muziek lees je elders.", "nl"),
        ("Vergunning voor een evenement", "Vraag ze aan via het e-loket.", "nl"),
        ("Uitleendienst", "Tenten en stoelen lenen.", "nl"),
    ]
    found = rank("vergunning evenement", "nl", entries, as_is)
    assert found[0] == entries[1]
    assert entries[2] not in found


def test_a_query_without_meaningful_words_finds_nothing():
    assert rank("hoe kan ik", "nl", [("Hoe kan ik helpen?", "", "nl")], as_is) == []


def test_only_clear_matches_are_offered_before_a_question_is_sent():
    entries = [
        ("Vergunning voor een evenement", "Via het e-loket.", "nl"),
        ("Zalen", "Zie de lijst.", "nl"),
    ]
    question = "Hebben we een vergunning nodig voor ons evenement?"
    assert best_matches(question, "nl", entries, as_is) == [entries[0]]
    assert best_matches("Wanneer is de volgende vergadering?", "nl", entries, as_is) == []


# --- a search: the query's first stems ----------------------------------------------------------


def test_a_search_reads_at_most_its_first_sixty_distinct_stems_in_order():
    words = [f"woord{n}x" for n in range(MAX_QUERY_TERMS + 40)]
    text = " ".join(words + words)  # each word twice: distinct stems count once
    assert len(text) > 1000
    query = search(text, "nl")
    assert len(query.terms) == MAX_QUERY_TERMS
    assert query.terms == tuple(
        sorted(terms(" ".join(words[:MAX_QUERY_TERMS]), "nl"), key=text.index)
    )


def test_a_four_thousand_character_question_is_a_search_as_its_words_are_once():
    sentence = "Hoe vraag ik een vergunning aan voor onze fuif in de zaal? "
    question = (sentence * 80)[:4000]
    query = offer(question, "nl")
    assert query.terms == search(sentence, "nl").terms == ("vraag", "vergun", "fuif", "zaal")
    assert (query.limit, query.minimum) == (3, 2)


def test_no_text_is_no_search():
    assert search(None, "fr").terms == ()
    assert search("   ", "fr").terms == ()
    assert search("de het een", "nl").terms == ()


# --- the index of stored items ranks as `ranked` does -------------------------------------------

# Words that share beginnings, so that stems start one another ('subsid', 'subsidi'), in three
# languages; the items and queries are made of them.
VOCABULARY = {
    "nl": [
        "subsidie",
        "subsidies",
        "zaal",
        "zalen",
        "huren",
        "huur",
        "vergunning",
        "vergunningen",
        "fuif",
        "fuiven",
        "tent",
        "tenten",
        "lenen",
        "uitleendienst",
        "sleutel",
        "verzekering",
        "vrijwilliger",
        "vrijwilligers",
        "12",
        "2026",
    ],
    "fr": [
        "subside",
        "subsides",
        "salle",
        "salles",
        "louer",
        "location",
        "autorisation",
        "autorisations",
        "fête",
        "fêtes",
        "tente",
        "tentes",
        "prêt",
        "clé",
        "assurance",
        "bénévole",
        "bénévoles",
        "12",
        "2026",
    ],
    "en": [
        "grant",
        "grants",
        "hall",
        "halls",
        "rent",
        "renting",
        "permit",
        "permits",
        "party",
        "parties",
        "tent",
        "tents",
        "lend",
        "lending",
        "key",
        "insurance",
        "volunteer",
        "volunteers",
        "12",
        "2026",
    ],
}


def stored(title: str, body: str, language: str) -> tuple[str, str]:
    return stored_stems(title, language), stored_stems(body, language)


@st.composite
def faqs(draw):
    """A FAQ in one language: entries (id, group, title, body), and a search in any language."""
    language = draw(st.sampled_from(sorted(VOCABULARY)))
    words = st.lists(st.sampled_from(VOCABULARY[language]), max_size=6).map(" ".join)
    count = draw(st.integers(0, 40))
    ids = sorted(draw(st.sets(st.integers(1, 500), min_size=count, max_size=count)))
    entries = [(faq_id, draw(st.integers(1, 5)), draw(words), draw(words)) for faq_id in ids]
    query_language = draw(st.sampled_from(sorted(VOCABULARY)))
    query_words = st.lists(st.sampled_from(VOCABULARY[query_language]), min_size=1, max_size=8)
    query = search(
        " ".join(draw(query_words)),
        query_language,
        limit=draw(st.integers(1, 6)),
        minimum=draw(st.integers(1, 3)),
    )
    return language, entries, query


def by_ranked(language, entries, query, group=None):
    """What `ranked` finds among the entries, in the order the store lists them."""
    listed = sorted(
        (e for e in entries if group is None or e[1] == group), key=lambda e: (e[1], e[0])
    )
    return [e[0] for e in ranked(query, listed, lambda e: (e[2], e[3], language))]


@settings(max_examples=200, deadline=None)
@given(faqs(), st.one_of(st.none(), st.integers(1, 5)))
def test_the_index_ranks_exactly_as_ranked_does(faq, group):
    language, entries, query = faq
    index = Index((e[0], e[1], *stored(e[2], e[3], language)) for e in entries)
    assert index.search(query, group) == by_ranked(language, entries, query, group)


@settings(max_examples=100, deadline=None)
@given(faqs(), st.data())
def test_an_index_that_follows_additions_changes_and_removals_ranks_as_a_new_one(faq, data):
    language, entries, query = faq
    half = len(entries) // 2
    index = Index((e[0], e[1], *stored(e[2], e[3], language)) for e in entries[:half])
    for entry in entries[half:]:
        index.add(entry[0], entry[1], *stored(entry[2], entry[3], language))
    now = {e[0]: e for e in entries}
    words = st.lists(st.sampled_from(VOCABULARY[language]), max_size=6).map(" ".join)
    for faq_id in data.draw(st.lists(st.sampled_from(sorted(now) or [0]), max_size=5)):
        if faq_id not in now:
            continue
        if data.draw(st.booleans()):
            index.remove(faq_id)
            del now[faq_id]
        else:
            _, group, *_ = now[faq_id]
            title, body = data.draw(words), data.draw(words)
            index.add(faq_id, group, *stored(title, body, language))
            now[faq_id] = (faq_id, group, title, body)
    assert len(index) == len(now)
    assert index.search(query) == by_ranked(language, list(now.values()), query)


def test_an_index_takes_new_items_only_after_its_own():
    index = Index([(5, 1, "zaal", "")])
    index.add(6, 1, "zaal", "")
    with pytest.raises(ValueError):
        index.add(4, 1, "zaal", "")
    assert index.search(search("zaal", "nl")) == [5, 6]


def test_stored_stems_are_distinct_and_in_the_order_of_the_text():
    text = "Zalen huren? Een zaal, huur! Subsidies voor de vergunning"
    assert stored_stems(text, "nl") == "zaal huur subsidie vergun"
    assert stored_stems("Réserver des salles, une salle réservée", "fr") == "reserv sall"
    assert stored_stems("", "fr") == ""
