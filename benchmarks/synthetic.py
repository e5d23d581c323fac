"""Synthetic news articles for benchmarks: realistic shape, any size, the same from a seed.

Each article has a headline, an ISO dateline and paragraphs mixing narration with the forms
attribution meets in real copy: direct quotes (`"...," Title Name said.`), reported speech
(`Name said (that) ...`), `according to` sources, and pronoun follow-ups (`"...," she added.`).
Words follow a Zipf distribution over a made-up vocabulary, so index postings look like
news text's: a few very common terms and a long tail.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SYLLABLES = (
    "ka ri to ne sa mu lo vi da pe zo ra ti ko me lu na si go be ha ju fe ye wo xi qu ".split()
)
FIRST_NAMES = {
    "female": "Maria Anna Olga Fatima Laura Sonia Elena Nadia Clare Julia".split(),
    "male": "Igor John Walid Sergei Peter Omar Michael David Ahmed Tony".split(),
}
TITLES = (
    "Foreign Minister",
    "Defense Ministry spokesman",
    "President",
    "Prime Minister",
    "Major General",
    "Interior Minister",
    "Ambassador",
    "Senator",
)
COUNTRIES = ("Russia", "Turkey", "Syria", "Iran", "France", "Egypt", "Jordan", "Britain")
BODIES = (
    "Defense Ministry",
    "Foreign Ministry",
    "National Council",
    "Security Council",
    "Observatory for Human Rights",
    "Health Organization",
)
VERBS = ("said", "told reporters", "stressed", "added", "warned", "insisted", "noted")


@dataclass(frozen=True)
class Article:
    title: str
    date: str
    text: str  # paragraphs separated by blank lines

    def as_file(self) -> str:
        return f"{self.title}\n{self.date}\n\n{self.text}\n"

    def as_json_line(self) -> str:
        return json.dumps({"title": self.title, "date": self.date, "text": self.text})


class Generator:
    """Deterministic article source: the same seed gives the same corpus, byte for byte."""

    def __init__(self, seed: int = 0, vocabulary_size: int = 50_000, zipf_s: float = 1.05):
        self.random = random.Random(seed)
        self.words = self._vocabulary(vocabulary_size)
        weights = [1 / (rank**zipf_s) for rank in range(1, vocabulary_size + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        surnames = {self._surname() for _ in range(2_000)}
        self.surnames = sorted(surnames)

    def articles(self, count: int, sentences_per_article: int = 25) -> Iterator[Article]:
        for number in range(count):
            yield self._article(number, sentences_per_article)

    def _vocabulary(self, size: int) -> list[str]:
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < size:
            word = "".join(self.random.choices(SYLLABLES, k=self.random.randint(1, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        return words

    def _surname(self) -> str:
        return "".join(self.random.choices(SYLLABLES, k=self.random.randint(2, 4))).title() + "v"

    def _phrase(self, low: int, high: int) -> str:
        total = self.cumulative[-1]
        count = self.random.randint(low, high)
        picks = [
            self.words[bisect.bisect_left(self.cumulative, self.random.random() * total)]
            for _ in range(count)
        ]
        return " ".join(picks)

    def _person(self) -> tuple[str, str, str]:
        gender = self.random.choice(("female", "male"))
        first = self.random.choice(FIRST_NAMES[gender])
        name = f"{first} {self.random.choice(self.surnames)}"
        title = f"{self.random.choice(COUNTRIES)}'s {self.random.choice(TITLES)}"
        return name, title, "she" if gender == "female" else "he"

    def _article(self, number: int, sentences: int) -> Article:
        speakers = [self._person() for _ in range(3)]
        body = f"{self.random.choice(COUNTRIES)}'s {self.random.choice(BODIES)}"
        lines: list[str] = []
        introduced: set[str] = set()
        for _ in range(sentences):
            name, title, pronoun = self.random.choice(speakers)
            first_time = name not in introduced
            introduced.add(name)
            who = f"{title} {name}" if first_time else name.split()[-1]
            verb = self.random.choice(VERBS)
            form = self.random.random()
            if form < 0.3:
                lines.append(f"{self._phrase(8, 20).capitalize()}.")
            elif form < 0.5:
                lines.append(f'"{self._phrase(8, 18).capitalize()}," {who} {verb}.')
            elif form < 0.7:
                lines.append(f"{who} {verb} that {self._phrase(8, 18)}.")
            elif form < 0.8:
                lines.append(f'"{self._phrase(6, 14).capitalize()}," {pronoun} added.')
            elif form < 0.9:
                lines.append(f"According to {body}, {self._phrase(8, 16)}.")
            else:
                lines.append(f"{self._phrase(8, 16).capitalize()}, {who} {verb}.")
        paragraphs = [" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
        day = 1 + number % 28
        return Article(
            title=f"{self._phrase(3, 7).capitalize()} {number}",
            date=f"2016-{1 + number % 12:02d}-{day:02d}",
            text="\n\n".join(paragraphs),
        )


def write_corpus(folder: Path, articles: int, seed: int = 0, as_jsonl: bool = False) -> Path:
    """A synthetic corpus in `folder`: one .txt per article, or one archive.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    if as_jsonl:
        path = folder / "archive.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for article in generator.articles(articles):
                out.write(article.as_json_line() + "\n")
        return path
    for number, article in enumerate(generator.articles(articles)):
        (folder / f"article-{number:06d}.txt").write_text(article.as_file(), encoding="utf-8")
    return folder
