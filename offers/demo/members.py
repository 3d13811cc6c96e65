"""The seeded generator of demo members (generated data with real structure).

Members are generated in blocks of `BLOCK_SIZE`, block *b* from
`numpy.random.default_rng([seed, b])`, so member *i* depends only on the seed and on
*i*: `--members 50` gives the first 50 members of `--members 2000`, and a run that
grows N creates exactly the members a fresh run with the larger N would have.

Per member:

- home airport: JFK, LGA or EWR, weighted by American's 2013 departures from each
  (LGA 15,459 · JFK 13,783 · EWR 3,487 — read from the loaded timetable);
- a primary segment (`segments.SEGMENTS`, by share); with probability 0.35 a second
  one mixed in at weight 0.2–0.5; the mixed destination weights, plus a small pull
  of every route (`ANY_ROUTE_WEIGHT`), are multiplied by personal gamma noise and
  restricted to the routes flown from the member's home airport;
- name from `names.py`; e-mail `first.last.<n>@members.example`, n = i + 1 (unique);
- member number: 7 characters of `MEMBER_NUMBER_ALPHABET` from the block's rng,
  skipping any number already held (by anyone) or already handed out in this run;
- preferred cabin and travel interests from the primary segment; `date_joined`
  uniform over the 10 years before `as_of` (at least 30 days before);
- an unusable password: generated members cannot sign in.
"""

import unicodedata
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from members.models import MEMBER_NUMBER_ALPHABET, MEMBER_NUMBER_LENGTH
from offers.demo import names, segments

BLOCK_SIZE = 1000
EMAIL_DOMAIN = "members.example"
JOINED_WITHIN_DAYS = (30, 3652)
_ALPHABET = np.array(list(MEMBER_NUMBER_ALPHABET))
_PASSWORD_ALPHABET = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))


@dataclass(frozen=True)
class Network:
    """What the generator needs to know about the airline: home airports and their routes."""

    homes: tuple  # ("EWR", "JFK", "LGA")
    home_weights: np.ndarray  # departures share per home
    destinations: tuple  # every destination code, sorted
    served: np.ndarray  # bool [home, destination]: a route exists

    def route_ref(self, home, destination):
        return f"{self.homes[home]}-{self.destinations[destination]}"


def email_part(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in ascii_name if ch.isalnum() or ch == "-")


def email_for(first_name, last_name, index):
    return f"{email_part(first_name)}.{email_part(last_name)}.{index + 1}@{EMAIL_DOMAIN}"


def index_from_email(email):
    """The generator index encoded in a generated member's e-mail, or None."""
    local, _, domain = email.rpartition("@")
    number = local.rsplit(".", 1)[-1]
    return int(number) - 1 if domain == EMAIL_DOMAIN and number.isdigit() else None


def taste_matrix(network):
    """Destination weights per segment, shape [segment, destination]."""
    return np.array(
        [[s.destinations.get(code, 0.0) for code in network.destinations] for s in segments.SEGMENTS], dtype=float
    )


def _pick(rng, weights, size):
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _names(rng, size):
    weights = [g[0] for g in names.NAME_GROUPS]
    group = _pick(rng, weights, size)
    last_group = np.where(rng.random(size) < names.MIXED_NAME_PROBABILITY, _pick(rng, weights, size), group)
    first_u, last_u = rng.random(size), rng.random(size)
    firsts = [names.NAME_GROUPS[g][1][int(u * len(names.NAME_GROUPS[g][1]))] for g, u in zip(group, first_u)]
    lasts = [names.NAME_GROUPS[g][2][int(u * len(names.NAME_GROUPS[g][2]))] for g, u in zip(last_group, last_u)]
    return firsts, lasts


def generate_block(seed, block, network, as_of):
    """Members block*BLOCK_SIZE … +BLOCK_SIZE-1 as a dict of arrays (no database access).

    Keys: index, first_name, last_name, email, number_candidates (more than needed),
    home, segment, preference [member, destination] (rows sum to 1), cabin, interests,
    date_joined, password, rng (the block's generator, to continue with activity).
    """
    rng = np.random.default_rng([seed, block])
    n = BLOCK_SIZE
    index = np.arange(block * n, (block + 1) * n)

    firsts, lasts = _names(rng, n)
    candidates = ["".join(chars) for chars in _ALPHABET[rng.integers(0, len(_ALPHABET), (n + 64, MEMBER_NUMBER_LENGTH))]]
    home = _pick(rng, network.home_weights, n)

    shares = [s.share for s in segments.SEGMENTS]
    primary = _pick(rng, shares, n)
    second = _pick(rng, shares, n)
    mix = np.where(
        (rng.random(n) < segments.SECOND_TASTE_PROBABILITY) & (second != primary),
        rng.uniform(*segments.SECOND_TASTE_WEIGHT, n),
        0.0,
    )
    tastes = taste_matrix(network)
    taste = tastes / tastes.sum(axis=1, keepdims=True)
    preference = (1 - mix)[:, None] * taste[primary] + mix[:, None] * taste[second] + segments.ANY_ROUTE_WEIGHT / len(
        network.destinations
    )
    preference *= rng.gamma(segments.PERSONAL_NOISE_SHAPE, 1.0, preference.shape)
    preference *= network.served[home]
    preference /= preference.sum(axis=1, keepdims=True)

    cabin_u = rng.random(n)
    interest_u = rng.random((n, 5))
    cabins, interests = [], []
    for seg, cu, iu, m, sec in zip(primary, cabin_u, interest_u, mix, second):
        s = segments.SEGMENTS[seg]
        keys, probs = zip(*s.cabins.items())
        cabins.append(str(keys[min(np.searchsorted(np.cumsum(probs) / sum(probs), cu), len(keys) - 1)]))
        chosen = [str(s.interests[0])] + [str(i) for i, u in zip(s.interests[1:], iu) if u < 0.4]
        if m and str(segments.SEGMENTS[sec].interests[0]) not in chosen:
            chosen.append(str(segments.SEGMENTS[sec].interests[0]))
        interests.append(chosen)

    joined_days = rng.uniform(*JOINED_WITHIN_DAYS, n)
    date_joined = np.datetime64(as_of, "s") - (joined_days * 86400).astype("timedelta64[s]")
    password_chars = _PASSWORD_ALPHABET[rng.integers(0, len(_PASSWORD_ALPHABET), (n, 40))]
    passwords = [UNUSABLE_PASSWORD_PREFIX + "".join(row) for row in password_chars]

    return {
        "index": index,
        "first_name": firsts,
        "last_name": lasts,
        "email": [email_for(f, l, i) for f, l, i in zip(firsts, lasts, index)],
        "number_candidates": candidates,
        "home": home,
        "segment": primary,
        "preference": preference,
        "cabin": cabins,
        "interests": interests,
        "date_joined": date_joined,
        "password": passwords,
        "rng": rng,
    }


def assign_member_numbers(candidates, wanted, taken):
    """The first `wanted` candidates not in `taken` (which grows); deterministic."""
    numbers = []
    for number in candidates:
        if number not in taken:
            taken.add(number)
            numbers.append(number)
            if len(numbers) == wanted:
                return numbers
    raise RuntimeError("Ran out of member-number candidates; raise the spare count in generate_block.")
