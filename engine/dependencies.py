"""What each candidate sentence of a summary leans on (engine.dangling's rules), worked out
once per text: a summary takes a leaning sentence only as a unit with what it leans on
(engine.selection).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from engine.dangling import leans_back, may_lean, names, titled_surname

_UNREACHABLE = -1  # leans on a sentence that is not summary material (a heading, a fragment)


class Dependencies:
    """What each candidate leans on, worked out once per text."""

    def __init__(self, candidates: Sequence[str], positions: Sequence[int]) -> None:
        self._candidates = candidates
        at = {p: i for i, p in enumerate(positions)}
        # The candidate a sentence leaning back needs: the one right before it in the text.
        self._back: list[int | None] = []
        # For a sentence opening with a title and surname: the earlier ones naming the person.
        self._namers: list[list[int] | None] = []
        for i, (sentence, position) in enumerate(zip(candidates, positions, strict=True)):
            back = None
            if not may_lean(sentence):
                self._back.append(None)
                self._namers.append(None)
                continue
            # The first candidate may lean back too: on a heading or fragment before it that
            # no summary holds ("The shape of the UK's economy In graphics" / "But he denied").
            if position > 0 and leans_back(sentence):
                back = at.get(position - 1, _UNREACHABLE)
            self._back.append(back)
            surname = None if back is not None else titled_surname(sentence)
            namers = None
            if surname is not None:
                namers = [j for j in range(i) if names(candidates[j], surname)] or None
            self._namers.append(namers)

    def _needs(self, index: int, chosen: Collection[int], members: set[int]) -> int | None:
        """The candidate `index` still needs beside `chosen` and `members` (None: nothing)."""
        back = self._back[index]
        if back is not None:
            return None if back in members or back in chosen else back
        earlier = self._namers[index]
        if earlier is None or any(j in members or j in chosen for j in earlier):
            return None
        return earlier[0]

    def unit(self, index: int, chosen: Collection[int]) -> list[int] | None:
        """`index` with everything it leans on that is not in `chosen` (best a set), in
        document order; None when it leans on something no summary can hold."""
        members = {index}
        need = self._needs(index, chosen, members)
        while need is not None:  # a chain: each sentence leans on at most one more
            if need == _UNREACHABLE:
                return None
            members.add(need)
            need = self._needs(need, chosen, members)
        return sorted(members)

    def reach(self, index: int) -> list[int]:
        """Every candidate a unit of `index` may hold, whatever is chosen: a unit follows the
        same chain (the sentence before, or the first that names the person) and stops early
        when one on it is chosen."""
        found = [index]
        need = self._first_need(index)
        while need is not None and need != _UNREACHABLE and need not in found:
            found.append(need)
            need = self._first_need(need)
        return found

    def _first_need(self, index: int) -> int | None:
        back, namers = self._back[index], self._namers[index]
        return back if back is not None else namers[0] if namers else None

    def stands_alone(self, index: int) -> bool:
        """Whether the candidate leans on nothing at all."""
        return self._back[index] is None and self._namers[index] is None
