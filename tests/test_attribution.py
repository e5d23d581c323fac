"""Attribution: statements and their speakers, one pattern per made-up case, plus the seeds."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.attribution import Statement, attribute
from bot.attribution.clauses import _quoted_tokens
from bot.attribution.model import QuotePiece
from bot.attribution.phrases import read_mention, tokenize
from bot.attribution.resolve import acronyms
from bot.documents import Document, parse_document
from bot.sentences import split_documents, train_splitter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _documents(*texts: str) -> list[Document]:
    return [
        parse_document(f"doc{number}.txt", Path(f"doc{number}.txt"), "Headline\n\n" + text)
        for number, text in enumerate(texts)
    ]


def statements_of(*texts: str) -> list[Statement]:
    documents = _documents(*texts)
    sentences = split_documents(documents, train_splitter(documents))
    return list(attribute(documents, sentences).statements)


def said(*texts: str) -> list[tuple[str, str, str]]:
    """(speaker, kind, quote) of every statement found."""
    return [(s.speaker_name, s.kind, s.quote) for s in statements_of(*texts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We will win the vote," Smith said.', [("Smith", "direct", "We will win the vote,")]),
        (
            '"We will win the vote," said John Smith.',
            [("John Smith", "direct", "We will win the vote,")],
        ),
        (
            'John Smith said: "We will win the vote."',
            [("John Smith", "direct", "We will win the vote.")],
        ),
        (
            '“We will win the vote," Smith said.',  # mismatched curly and straight marks
            [("Smith", "direct", "We will win the vote,")],
        ),
        (
            "John Smith said on Tuesday that the talks may be delayed.",
            [("John Smith", "indirect", "the talks may be delayed")],
        ),
        (
            "John Smith told reporters that the talks may be delayed.",
            [("John Smith", "indirect", "the talks may be delayed")],
        ),
        (
            "The talks may be delayed, John Smith said.",
            [("John Smith", "indirect", "The talks may be delayed")],
        ),
        (
            "According to John Smith, the talks may be delayed.",
            [("John Smith", "indirect", "the talks may be delayed")],
        ),
        (
            "The talks may be delayed, according to John Smith.",
            [("John Smith", "indirect", "The talks may be delayed")],
        ),
        (
            "John Smith said in a statement that the talks may be delayed.",
            [("John Smith", "indirect", "the talks may be delayed")],
        ),
        (
            "John Smith was quoted as saying the talks may be delayed.",
            [("John Smith", "indirect", "the talks may be delayed")],
        ),
        (
            "Russia's Defense Ministry accused Ankara of shelling Syrian positions.",
            [
                (
                    "Russia's Defense Ministry",
                    "indirect",
                    "accused Ankara of shelling Syrian positions",
                )
            ],
        ),
        (
            "Maria Zakharova expressed concern over Ankara's incursions into Syria.",
            [
                (
                    "Maria Zakharova",
                    "indirect",
                    "expressed concern over Ankara's incursions into Syria",
                )
            ],
        ),
        (
            'John Smith said groups which "got serious reinforcements" attacked the town.',
            [
                (
                    "John Smith",
                    "mixed",
                    'groups which "got serious reinforcements" attacked the town',
                )
            ],
        ),
    ],
)
def test_attribution_form_names_speaker_and_words(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


def test_adding_clause_is_a_second_statement_by_the_same_speaker() -> None:
    found = said(
        "Militants are moving their families, the Russian general Igor Petrov said, "
        'adding, "Injured militants cross unimpeded."'
    )
    assert found == [
        ("Igor Petrov", "indirect", "Militants are moving their families"),
        ("Igor Petrov", "direct", "Injured militants cross unimpeded."),
    ]


def test_split_quote_continues_with_the_same_speaker() -> None:
    found = said('"We will win the vote," Smith said. "The war is over for them."')
    assert [(speaker, kind) for speaker, kind, _ in found] == [
        ("Smith", "direct"),
        ("Smith", "direct"),
    ]


def test_quote_over_two_paragraphs_belongs_to_its_speaker() -> None:
    found = said('John Smith said: "We will win the vote.\n\n"And then the war is over."')
    assert found == [
        ("John Smith", "direct", "We will win the vote."),
        ("John Smith", "direct", "And then the war is over."),
    ]


def test_she_said_resolves_to_last_named_woman() -> None:
    found = said(
        "Maria Zakharova said the talks may be delayed. John Smith said nothing was decided. "
        '"They are trying to win on the battlefield," she said.'
    )
    assert found[-1][0] == "Maria Zakharova"


def test_he_said_skips_a_woman_to_reach_the_last_man() -> None:
    found = said(
        "John Smith said the talks may be delayed. Maria Jones said nothing was decided. "
        '"They are trying to win on the battlefield," he said.'
    )
    assert found[-1][0] == "John Smith"


def test_description_resolves_to_the_named_official() -> None:
    found = said(
        "Russian Foreign Ministry spokeswoman Maria Zakharova said the talks may be delayed.\n\n"
        "Militants are moving their families, the Russian official said."
    )
    assert [speaker for speaker, _, _ in found] == ["Maria Zakharova", "Maria Zakharova"]


def test_family_name_alone_is_the_full_name_given_earlier() -> None:
    found = said(
        "Maria Zakharova said the talks may be delayed.\n\nMilitants are moving, Zakharova said."
    )
    assert [speaker for speaker, _, _ in found] == ["Maria Zakharova", "Maria Zakharova"]


def test_unresolvable_pronoun_abstains_rather_than_guessing() -> None:
    assert said('"We will win the vote," she said.') == []


@pytest.mark.parametrize(
    "text",
    [
        "Turkey has been accused of arming the militants in Syria.",
        "Local sources said the town had fallen to the army.",
        "Activists said dozens of people were killed in the raid.",
        "Turkey arms the militants, with reports saying that Ankara trains them.",
        "Ankara launched “massed” artillery strikes on the positions.",
        "John Smith believes in a peaceful solution.",
        "The talks in Geneva were postponed until next month.",
        "International leaders have condemned the attack on the town.",  # dev 001
        "Western diplomats said the talks may be delayed.",
        "World leaders urged both sides to return to the talks.",
    ],
)
def test_not_a_statement(text: str) -> None:
    assert said(text) == []


def test_belief_verb_counts_with_a_that_clause() -> None:
    assert said("John Smith believes that the talks will fail.") == [
        ("John Smith", "indirect", "the talks will fail")
    ]


def test_outlet_relaying_a_named_speaker_is_not_the_speaker() -> None:
    found = said(
        "Maria Zakharova said the talks may be delayed, Russia Today reported on Thursday."
    )
    assert [speaker for speaker, _, _ in found] == ["Maria Zakharova"]


def test_outlet_reporting_on_its_own_is_the_speaker() -> None:
    assert said("NBC News reported that the talks may be delayed.") == [
        ("NBC News", "indirect", "the talks may be delayed")
    ]


def test_joint_statement_gives_each_speaker_a_line() -> None:
    found = said("The Conservatives and Liberal Democrats say they want the advice published.")
    assert [speaker for speaker, _, _ in found] == ["Conservatives", "Liberal Democrats"]


def test_one_speaker_across_articles() -> None:
    statements = statements_of(
        "Maria Zakharova said the talks may be delayed.",
        "Zakharova said the militants had been reinforced.",
    )
    assert {s.speaker_key for s in statements} == {statements[0].speaker_key}
    assert {s.speaker_name for s in statements} == {"Maria Zakharova"}


def test_quote_offsets_point_at_the_published_words() -> None:
    documents = _documents('"We will win the vote," Smith said.')
    sentences = split_documents(documents, train_splitter(documents))
    (statement,) = attribute(documents, sentences).statements
    assert documents[0].excerpt(statement.quote_start, statement.quote_end) == statement.quote


@pytest.fixture(scope="module")
def seed_statements() -> list[tuple[str, str, str]]:
    from bot.documents import load_documents

    loaded = load_documents([SEEDS], 5_000_000)
    sentences = split_documents(loaded.documents, train_splitter(loaded.documents))
    found = attribute(loaded.documents, sentences)
    return [(s.speaker_name, s.kind, s.quote) for s in found.statements]


@pytest.mark.parametrize(
    ("speaker", "kind", "start"),
    [
        ("Igor Konashenkov", "direct", "Simultaneously, weapons"),
        ("Igor Konashenkov", "indirect", "As clashes escalate"),  # "the Russian official"
        ("Igor Konashenkov", "direct", "However, as the Turkish"),
        ("Maria Zakharova", "direct", "Obviously, this (the request)"),  # "she said"
        ("Maria Zakharova", "mixed", "in recent days"),  # reported by Russia Today
        ("Maria Zakharova", "indirect", "The Takfiri militants"),  # ", Zakharova said."
        ("Walid al-Muallem", "indirect", "censured Ankara"),
        ("UN", "indirect", "the talks may be delayed"),
    ],
)
def test_seed_statement_has_its_speaker(
    seed_statements: list[tuple[str, str, str]], speaker: str, kind: str, start: str
) -> None:
    assert (speaker, kind) in {(s, k) for s, k, q in seed_statements if q.startswith(start)}


def test_seed_passive_claim_and_caption_are_not_statements(
    seed_statements: list[tuple[str, str, str]],
) -> None:
    quotes = " ".join(q for _, _, q in seed_statements)
    assert "accused of actively training" not in quotes
    assert "Kilis" not in quotes


def test_quote_over_two_sentences_waits_for_its_own_speaker() -> None:
    found = said(
        "The ministry of defence said the strikes went on. "
        '"Sixty soldiers were killed in the raid. Twelve trucks were destroyed," Smith said.'
    )
    assert [speaker for speaker, kind, _ in found if kind == "direct"] == ["Smith", "Smith"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Peskov, when asked about the meeting, said: "It is a laughable allegation."', "Peskov"),
        (
            "Clare Short, who resigned from the government, said the advice was the same.",
            "Clare Short",
        ),
        ("The WHO said it was likely that a nerve agent was used.", "WHO"),
        (
            "A Russian Defence Ministry spokesman said the rebels had used the weapons.",
            "Russian Defence Ministry",
        ),
        ("U.S. officials have said courts require sufficient evidence.", "U.S. officials"),
        ("Sixty soldiers were killed in the strikes, the Russian army said.", "Russian army"),
        ("Brennan on Sunday called the criticism a “badge of honor,” his aide said.", "Brennan"),
        ("Mr Sands' book suggests it was written by a minister.", "Sands"),
        (
            "The United States resumed visas after getting what it said were assurances of safety.",
            "United States",
        ),
        (
            "Syrian Foreign Minister Walid al-Muallem in an interview with Russia's Sputnik news "
            "agency censured Ankara for its policy.",
            "Walid al-Muallem",
        ),
    ],
)
def test_speaker_found_past_what_stands_between_it_and_the_verb(text: str, speaker: str) -> None:
    assert speaker in [name for name, _, _ in said(text)]


@pytest.mark.parametrize(
    "text",
    [
        "A ministry spokesman did not say what agent was used in the attack.",
        "Two former top U.S. intelligence officials said they fear the worst.",
        "The town was shelled on Friday, with the army denying it in a statement.",
    ],
)
def test_no_statement_from_negation_or_a_group_named_only_later(text: str) -> None:
    assert said(text) == []


def test_told_an_audience_then_the_clause() -> None:
    assert said("Tony Blair told his monthly press conference the matter had been dealt with.") == [
        ("Tony Blair", "indirect", "the matter had been dealt with")
    ]


def test_he_after_a_pronoun_sentence_naming_others_stays_with_the_speaker() -> None:
    found = said(
        "Lord Goldsmith said he was not leaned on. "
        "He thinks the story about Lord Falconer and Lady Morgan came from a mistake. "
        '"I set out my own independent view," he said.'
    )
    assert found[-1][0] == "Lord Goldsmith"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The inquiry was an internal matter, said Peskov, but Moscow was following it.",
            [
                ("Peskov", "indirect", "The inquiry was an internal matter"),
                ("Peskov", "indirect", "but Moscow was following it"),
            ],
        ),
        (
            "Another issue to be raised, Yildirim had said, was the fate of the citizens.",
            [
                (
                    "Yildirim",
                    "indirect",
                    "Another issue to be raised, Yildirim had said, was the fate of the citizens",
                )
            ],
        ),
        (
            "Mike Pence reaffirmed the partnership and stressed the commitment to Turkey.",
            [
                (
                    "Mike Pence",
                    "indirect",
                    "reaffirmed the partnership and stressed the commitment to Turkey",
                )
            ],
        ),
        (
            "Clare Short said the advice should be published, and demanded an inquiry.",
            [
                ("Clare Short", "indirect", "the advice should be published"),
                ("Clare Short", "indirect", "demanded an inquiry"),
            ],
        ),
        (
            "Peskov laughed off the role of Papadopoulos, who told investigators he had met them.",
            [
                ("Peskov", "indirect", "laughed off the role of Papadopoulos"),
                ("Papadopoulos", "indirect", "he had met them"),
            ],
        ),
        (
            '"No planes struck the town," said a statement by the Russian defence ministry.',
            [("Russian defence ministry", "direct", "No planes struck the town,")],
        ),
        (
            "Michael Howard reiterated calls for the advice, "
            'warning: "This issue will not go away."',
            [
                ("Michael Howard", "indirect", "reiterated calls for the advice"),
                ("Michael Howard", "direct", "This issue will not go away."),
            ],
        ),
        ("The ministry confirmed a report by the Syrian state news agency.", []),
    ],
)
def test_clause_joined_to_an_attribution(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert said(text) == expected


def test_acronym_defined_in_the_article_names_the_body() -> None:
    found = said(
        "The camp is used by the National Defence Forces (NDF) which command 90000 fighters. "
        "The NDF official told AFP that two fighters were wounded."
    )
    assert found == [("National Defence Forces", "indirect", "two fighters were wounded")]


def test_phrase_after_a_transitive_verb_is_its_object_not_a_speaker() -> None:
    assert said(
        "Investigators probing the meddling, something Moscow denies, charged Paul Manafort."
    ) == [("Moscow", "indirect", "Investigators probing the meddling, something")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "That assertion is challenged by U.S. intelligence agencies who say that Moscow "
            "did interfere.",
            [("U.S. intelligence agencies", "indirect", "Moscow did interfere")],
        ),
        (
            "The government refuses to publish the advice - saying such papers are confidential.",
            [("government", "indirect", "such papers are confidential")],
        ),
        (
            "Timofeev did not respond, but told the gazeta.ru online news portal in August that "
            "Papadopoulos had emailed him.",
            [("Timofeev", "indirect", "Papadopoulos had emailed him")],
        ),
    ],
)
def test_group_relative_speaker_dash_participle_and_long_addressee(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


def test_a_different_full_name_with_the_same_family_name_is_another_person() -> None:
    found = said(
        "Tony Blair said the advice was fair. "
        "The book was written by Cherie Blair, his wife. "
        '"The advice was never published," Cherie Blair said.'
    )
    assert [speaker for speaker, _, _ in found] == ["Tony Blair", "Cherie Blair"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # "the body" is an organisation, like "the group"
            'The National Coalition demanded an inquiry. "The council must meet," '
            "the body said in a statement.",
            [
                ("National Coalition", "indirect", "demanded an inquiry"),
                ("National Coalition", "direct", "The council must meet,"),
            ],
        ),
        (  # a description fits a body by the role it was introduced with
            "Syria's opposition National Coalition demanded an inquiry. "
            "The opposition said on Tuesday that the attack ruined the talks.",
            [
                ("National Coalition", "indirect", "demanded an inquiry"),
                ("National Coalition", "indirect", "the attack ruined the talks"),
            ],
        ),
        (  # no body named before: "the body" stands for nobody
            '"The council must convene an emergency session" the body said in a statement.',
            [],
        ),
    ],
)
def test_description_of_a_body_resolves_to_it(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Gas attack kills 58 in Idlib - YouTube Opposition demands UN investigation.",
        "Gas attack kills 58 in Idlib - Reuters Opposition leaders demand an inquiry.",
        "Gas attack kills 58 in Idlib | Google News Ministry denies involvement.",
    ],
)
def test_no_speaker_across_a_glued_page_title(text: str) -> None:
    assert said(text) == []


def test_description_after_a_glued_page_title_is_the_body_named_after_it() -> None:
    found = said(
        "Gas attack kills 58 in Idlib - YouTube Opposition demands UN investigation "
        "Syrias opposition National Coalition demanded a UN investigation into the attack. "
        "The opposition said on Tuesday that the attack ruined the talks."
    )
    assert [speaker for speaker, _, _ in found] == ["National Coalition", "National Coalition"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The strikes killed 60 civilians, the ministry of health said, quoting "
            "Defence Minister Sergei Shoigu.",
            # no ministry named before: only the cited minister
            [("Sergei Shoigu", "indirect", "The strikes killed 60 civilians")],
        ),
        (
            "The Health Ministry opened an inquiry. The strikes killed 60 civilians, "
            "the ministry said citing the General Command of the Army and Armed Forces.",
            [
                ("Health Ministry", "indirect", "The strikes killed 60 civilians"),
                ("General Command", "indirect", "The strikes killed 60 civilians"),
            ],
        ),
        (
            '"The strikes killed 60 civilians," said the Syrian Observatory for Human Rights, '
            "citing the Health Ministry.",
            [
                (
                    "Syrian Observatory for Human Rights",
                    "direct",
                    "The strikes killed 60 civilians,",
                ),
                ("Health Ministry", "direct", "The strikes killed 60 civilians,"),
            ],
        ),
        (  # its own statement: nobody else's words
            "The strikes killed 60 civilians, Amnesty International said citing a statement.",
            [("Amnesty International", "indirect", "The strikes killed 60 civilians")],
        ),
    ],
)
def test_cited_source_also_made_the_statement(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # dev 002
            '"Some cases appear to show signs of nerve agents" WHO said in a statement '
            "putting the death toll at at least 70.",
            [
                ("WHO", "direct", "Some cases appear to show signs of nerve agents"),
                ("WHO", "indirect", "putting the death toll at at least 70"),
            ],
        ),
        (
            '"The town is in ruins," the Red Cross said, putting the number of dead at 35.',
            [
                ("Red Cross", "direct", "The town is in ruins,"),
                ("Red Cross", "indirect", "putting the number of dead at 35"),
            ],
        ),
        (  # a speech act in a participle is reported with its verb, as a finite one is
            "Russia launched strikes on the town, accusing Turkey of arming the rebels.",
            [("Russia", "indirect", "accusing Turkey of arming the rebels")],
        ),
    ],
)
def test_speech_act_participle_keeps_its_verb(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


def test_putting_a_figure_elsewhere_is_not_a_statement() -> None:
    assert said("The rescuers were putting the bodies at the edge of the town.") == []


@pytest.mark.parametrize(
    "closing",
    [
        "a statement from top presidential sources said.",  # dev 001
        "a statement from Turkish sources said.",
        "the ministry said.",  # no ministry named: nobody we know
        "according to a source.",
    ],
)
def test_quotation_attributed_to_someone_unknown_is_nobodys(closing: str) -> None:
    found = said(
        'Russia denied any role. "President Erdogan touched on the attack. '
        f'He said such attacks are unacceptable" {closing}'
    )
    assert found == [("Russia", "indirect", "denied any role")]


_SPUTNIK_THEN = "According to the news agency Sputnik, the warplanes killed 60 civilians. "


@pytest.mark.parametrize(
    ("middle", "agency"),
    [
        # dev 005: the last agency mentioned is one the article never names as a speaker
        ("The Defense Ministry confirmed a report by the Syrian state news agency.", None),
        ("The Defense Ministry confirmed the report.", "Sputnik"),
        ("Rebels attacked the Syrian army.", "Sputnik"),  # another kind of body
        ("The Defense Ministry confirmed a report by the agency.", "Sputnik"),  # the same one
    ],
)
def test_description_stands_for_the_last_body_of_its_kind(middle: str, agency: str | None) -> None:
    found = said(_SPUTNIK_THEN + middle + " The coalition paved the way for ISIL, the agency said.")
    last = [speaker for speaker, _, quote in found if quote.startswith("The coalition")]
    assert last == ([agency] if agency else [])


def _headed(headline: str, body: str) -> list[tuple[str, str, str]]:
    documents = [parse_document("doc.txt", Path("doc.txt"), f"{headline}\n\n{body}")]
    sentences = split_documents(documents, train_splitter(documents))
    return [(s.speaker_name, s.kind, s.quote) for s in attribute(documents, sentences).statements]


@pytest.mark.parametrize(
    ("headline", "speakers"),
    [
        ("Goldsmith denies war advice claim", ["Lord Goldsmith", "Lord Goldsmith"]),  # dev 007
        ("Goldsmith defends war advice", ["Lord Goldsmith"]),  # another act: not said
        ("War advice claim denied", ["Lord Goldsmith"]),  # nobody named
    ],
)
def test_lede_description_is_the_headlines_speaker_of_the_same_act(
    headline: str, speakers: list[str]
) -> None:
    found = _headed(
        headline,
        "The attorney general has denied his statement was drafted by officials.\n\n"
        "Lord Goldsmith said Lord Falconer played no part in drafting the answer.",
    )
    assert [speaker for speaker, _, _ in found] == speakers


def test_lede_description_learns_its_role_for_later_sentences() -> None:
    found = _headed(
        "Goldsmith denies war advice claim",
        "The attorney general has denied his statement was drafted by officials.\n\n"
        "Lord Falconer said he played no part. The attorney general said he was not leaned on.",
    )
    assert found[-1] == ("Goldsmith", "indirect", "he was not leaned on")


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (  # dev 011
            "Two former top U.S. intelligence officials said on Sunday they fear the worst. "
            "Former CIA Director John Brennan and ex-National Intelligence Director James "
            "Clapper both said Trump was mishandling Moscow ties.",
            ["John Brennan", "James Clapper", "John Brennan", "James Clapper"],
        ),
        (  # one name for two officials: not them
            "Two former officials said on Sunday they fear the worst. "
            "John Brennan said Trump was mishandling Moscow ties.",
            ["John Brennan"],
        ),
        (  # three officials, two names
            "Three officials said they fear the worst. "
            "John Brennan and James Clapper said Trump was wrong.",
            ["John Brennan", "James Clapper"],
        ),
        (  # the names must open the very next sentence
            "Two former officials said they fear the worst. The talks were delayed. "
            "John Brennan and James Clapper said Trump was wrong.",
            ["John Brennan", "James Clapper"],
        ),
    ],
)
def test_counted_group_is_the_joint_speakers_named_next(text: str, speakers: list[str]) -> None:
    assert [speaker for speaker, _, _ in said(text)] == speakers


def test_weekday_after_the_verb_is_not_what_was_said() -> None:
    assert said("John Smith said on Tuesday the talks may be delayed.") == [
        ("John Smith", "indirect", "the talks may be delayed")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # dev 001
            "Some victims had foam coming out of their mouths SOHR said citing medical "
            'sources who described the air strikes as a "toxic gas attack."',
            [
                ("SOHR", "indirect", "Some victims had foam coming out of their mouths"),
                ("SOHR", "mixed", 'described the air strikes as a "toxic gas attack."'),
            ],
        ),
        (
            "The town was hit, Amnesty International said, citing local sources who said "
            "dozens were killed.",
            [
                ("Amnesty International", "indirect", "The town was hit"),
                ("Amnesty International", "indirect", "dozens were killed"),
            ],
        ),
        (  # sources nobody cites are nobody
            "The town was hit, Amnesty International said. Medical sources described the "
            "strikes as a gas attack.",
            [("Amnesty International", "indirect", "The town was hit")],
        ),
    ],
)
def test_unnamed_sources_cited_by_a_speaker_speak_through_them(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # dev 008: the comma after the clause is not the addressee's end
            "Clare Short told the BBC the full advice should have been attached, according "
            "to the ministerial code.",
            [
                (
                    "Clare Short",
                    "indirect",
                    "the full advice should have been attached, according to the ministerial code",
                )
            ],
        ),
        (
            "John Smith told reporters he would resign, because the talks failed.",
            [("John Smith", "indirect", "he would resign, because the talks failed")],
        ),
    ],
)
def test_told_an_audience_then_a_clause_with_a_comma(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("EU leaders said the talks may be delayed.", "EU leaders"),
        ("U.S. officials said the talks may be delayed.", "U.S. officials"),
        ("The Conservatives said the talks may be delayed.", "Conservatives"),
    ],
)
def test_group_tied_to_a_body_is_a_speaker(text: str, speaker: str) -> None:
    assert [found[0] for found in said(text)] == [speaker]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The plan is dangerous, the Foreign Ministry said, citing Interior Minister "
            "Ahmed Khalil as saying that the border would close.",
            [
                ("Foreign Ministry", "indirect", "The plan is dangerous"),
                ("Ahmed Khalil", "indirect", "the border would close"),
            ],
        ),
        (  # a description that names nobody yet: no speaker rather than the citing one
            "The plan is dangerous, the Foreign Ministry said, citing the Interior Minister "
            "as saying that the border would close.",
            [("Foreign Ministry", "indirect", "The plan is dangerous")],
        ),
        (  # only the cited person's remarks, not the cited person
            "The plan is dangerous, the Foreign Ministry said, citing Trump's remarks.",
            [("Foreign Ministry", "indirect", "The plan is dangerous")],
        ),
    ],
)
def test_source_cited_as_saying_said_what_follows(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # dev 009
            "In his new book, Philippe Sands suggests the answer was written in Downing "
            "Street. The book, being serialised in the Guardian newspaper, says on 13 March "
            "Lord Goldsmith met Lord Falconer.",
            [
                ("Philippe Sands", "indirect", "the answer was written in Downing Street"),
                ("Philippe Sands", "indirect", "Lord Goldsmith met Lord Falconer"),
            ],
        ),
        (
            "Philippe Sands said in his book that the answer was drafted elsewhere. "
            "The book says Lord Goldsmith met Lord Falconer.",
            [
                ("Philippe Sands", "indirect", "the answer was drafted elsewhere"),
                ("Philippe Sands", "indirect", "Lord Goldsmith met Lord Falconer"),
            ],
        ),
        (  # her book is not his
            "Philippe Sands criticised her book. The book says Lord Goldsmith met Lord Falconer.",
            [("Philippe Sands", "indirect", "criticised her book")],
        ),
        (  # nobody's book
            "The book says Lord Goldsmith met Lord Falconer.",
            [],
        ),
    ],
)
def test_the_book_speaks_for_the_speaker_whose_book_it_is(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "John Smith said on March 13 the talks may be delayed.",
        "John Smith said on 13 March that the talks may be delayed.",
    ],
)
def test_date_after_the_verb_is_not_what_was_said(text: str) -> None:
    assert said(text) == [("John Smith", "indirect", "the talks may be delayed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maj. Gen. Igor left.",
            [
                ("Maj.", 0, 4, "maj."),
                ("Gen.", 5, 9, "gen."),
                ("Igor", 10, 14, "igor"),
                ("left", 15, 19, "left"),
                (".", 19, 20, "."),
            ],
        ),
        (
            "Russia’s army",
            [("Russia", 0, 6, "russia"), ("’s", 6, 8, "'s"), ("army", 9, 13, "army")],
        ),
        # "ß" casefolds to two letters: the offsets stay those of the text as written
        (
            "Straße O’Brien Ünal",
            [("Straße", 0, 6, "strasse"), ("O’Brien", 7, 14, "o'brien"), ("Ünal", 15, 19, "ünal")],
        ),
        ("the U.S. said", [("the", 0, 3, "the"), ("U.S.", 4, 8, "u.s."), ("said", 9, 13, "said")]),
        # an abbreviation takes one period, glued to what follows or not
        (
            "Gen.. Mr.Smith",
            [
                ("Gen.", 0, 4, "gen."),
                (".", 4, 5, "."),
                ("Mr.", 6, 9, "mr."),
                ("Smith", 9, 14, "smith"),
            ],
        ),
        ("rebels’ gas", [("rebels", 0, 6, "rebels"), ("’", 6, 7, "'"), ("gas", 8, 11, "gas")]),
    ],
)
def test_tokens_keep_offsets_and_lexicon_forms(
    text: str, expected: list[tuple[str, int, int, str]]
) -> None:
    assert [tuple(token) for token in tokenize(text)] == expected
    assert all(text[start:end] == word for word, start, end, _ in expected)


@given(st.text(alphabet=st.sampled_from(list("aSsGgenMrU.-‐'’ ßK\"“,(")), max_size=30))
def test_tokens_are_the_texts_marks_in_order_with_their_offsets(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(token.text for token in tokens) == "".join(text.split())
    assert all(text[token.start : token.end] == token.text for token in tokens)
    assert all(token.lower == token.text.casefold().replace("’", "'") for token in tokens)
    assert all(left.end <= right.start for left, right in pairwise(tokens))


@given(
    st.text(alphabet=st.sampled_from(list("ab S.,'’\"")), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=3),
)
def test_quoted_tokens_are_those_wholly_inside_a_piece(
    text: str, spans: list[tuple[int, int]]
) -> None:
    tokens = tokenize(text)
    pieces = [
        QuotePiece(start, end, number, False, False) for number, (start, end) in enumerate(spans)
    ]
    assert _quoted_tokens(tokens, pieces) == [
        any(p.start <= token.start and token.end <= p.end for p in pieces) for token in tokens
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fighters of the National Defence Forces (NDF), and the Syrian Observatory for Human"
            " Rights (SOHR) said (AB)(CD) nothing.",
            {"NDF": "National Defence Forces", "SOHR": "Syrian Observatory for Human Rights"},
        ),
        ("A report (UN) by the Arab League (AL)", {"AL": "Arab League"}),
        ("No definition here (none).", {}),
    ],
)
def test_acronyms_are_read_from_the_words_just_before_their_bracket(
    text: str, expected: dict[str, str]
) -> None:
    assert acronyms(text) == expected


def test_a_speaker_phrase_reads_the_same_wherever_it_stands_and_keeps_its_spacing() -> None:
    first = read_mention(tokenize("Russia's Defense Ministry"))
    later = read_mention(tokenize("Yesterday Russia's Defense Ministry")[1:])
    spaced = read_mention(tokenize("Russia 's Defense Ministry"))
    assert first == later
    assert first is not None and spaced is not None
    assert (first.text, first.name) == ("Russia's Defense Ministry", "Russia's Defense Ministry")
    assert (spaced.text, spaced.name) == (
        "Russia 's Defense Ministry",
        "Russia 's Defense Ministry",
    )
