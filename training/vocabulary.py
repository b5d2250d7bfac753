"""Word lists for the task set: names, objects, units and the questions the stack declines.

Names and objects are split once, by a fixed seed, into a training pool and a held-out pool;
the held-out pool appears only in evaluation cases (see taskgen.py).
"""

import random

_REAL_NAMES = """
Mia Tom Ava Leo Zoe Sam Ella Noah Lily Owen Ruby Max Nora Ben Ivy Jack Lucy Finn Ada Eli
Rosa Omar Maya Hugo Iris Liam Cleo Theo Anna Luca Emma Adam Sara Ravi Nina Yusuf Alma Kai
Hana Ivan Lena Jonas Mila Tariq Elif Pablo Chloe Aziz Freya Diego Layla Mateo Priya Sven
Amara Felix Inès Kofi Lara Niko Olga Pedro Quinn Rhea Soren Talia Umar Vera Wes Xena Yara
Zane Aiko Bruno Carmen Dario Esme Farid Greta Hiro Isla Jamal Kira Lars Maren Nadia Oscar
Petra Rami Selma Tomas Una Viggo Wanda Yosef Zuri Abel Bea Cyrus Dina Emil Fatima Gus Hedda
""".split()

_ONSETS = ["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "ch", "dr", "gr", "kr", "sh", "st", "th", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "k", "th"]

OBJECTS = """
apples pears plums lemons oranges cherries grapes peaches bananas melons carrots potatoes
onions tomatoes peppers cookies muffins cupcakes pies sandwiches pencils crayons markers
erasers notebooks stickers stamps postcards letters books comics magazines marbles buttons
beads shells pebbles stones coins tickets cards puzzles blocks dolls robots kites balloons
balls bikes cars trucks trains boats planes rockets flowers roses tulips daisies seeds leaves
acorns pinecones feathers eggs nests birds ducks chickens geese cows sheep goats pigs horses
rabbits kittens puppies fish frogs snails bees ants butterflies spiders cups plates bowls
spoons forks knives bottles jars boxes bags baskets buckets candles lamps clocks chairs
tables pillows blankets towels socks shoes hats scarves gloves shirts jackets rings bracelets
necklaces ribbons bows paintings photos posters maps flags tents ropes nails screws bolts
hammers brushes paints jigsaws drums flutes violins songs stories poems riddles jokes
lanterns mirrors keys locks wheels bricks tiles planks logs sticks bottles cans lollipops
candies donuts pretzels crackers waffles pancakes noodles dumplings tacos
""".split()

_HELD_OUT_SEED = 20241020


def _invented_names(count: int, seed: int) -> list[str]:
    """Pronounceable two-syllable names from a fixed syllable inventory."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        name = rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
        names.add(name.capitalize())
    return sorted(names)


def _split(items: list[str], held_out: int, seed: int) -> tuple[list[str], list[str]]:
    pool = sorted(set(items))
    random.Random(seed).shuffle(pool)
    return sorted(pool[held_out:]), sorted(pool[:held_out])


NAMES_TRAIN, NAMES_HELD_OUT = _split(_REAL_NAMES + _invented_names(1500, 7), 300, _HELD_OUT_SEED)
# Words the question templates use themselves cannot be objects: "boxes of 3" is not a held-out word.
_TEMPLATE_WORDS = {"boxes", "bags", "jars", "packs", "rows", "days", "children", "friends", "groups"}
OBJECTS_TRAIN, OBJECTS_HELD_OUT = _split([o for o in OBJECTS if o not in _TEMPLATE_WORDS], 30, _HELD_OUT_SEED + 1)

# (symbol, plural word, size in the kind's base unit, kind)
UNITS = [
    ("cm", "centimeters", 1, "length"), ("m", "meters", 100, "length"), ("km", "kilometers", 100_000, "length"),
    ("g", "grams", 1, "mass"), ("kg", "kilograms", 1000, "mass"),
    ("s", "seconds", 1, "time"), ("min", "minutes", 60, "time"), ("h", "hours", 3600, "time"),
    ("ml", "milliliters", 1, "volume"), ("l", "liters", 1000, "volume"),
]

# The conversions asked about: (from, to) unit symbols. Bigger-to-smaller multiplies;
# smaller-to-bigger divides and is only asked with amounts that give whole numbers.
CONVERSIONS = [
    ("km", "m"), ("m", "km"), ("m", "cm"), ("cm", "m"), ("kg", "g"), ("g", "kg"),
    ("l", "ml"), ("ml", "l"), ("h", "min"), ("min", "h"), ("min", "s"), ("s", "min"), ("h", "s"),
]

# Questions the stack must decline: (template, slot values). Slots are split into a training
# and a held-out half like names and objects.
OTHER_TEMPLATES = [
    ("What is the capital of {}?", "France Spain Italy Peru Kenya Japan Chile Norway Egypt Canada Brazil Ghana Nepal Cuba Iran Mali Laos Fiji Oman Chad"),
    ("Who wrote {}?", "Hamlet Dracula Emma Ulysses Beloved Matilda Frankenstein Heidi Candide Dune Ivanhoe Lolita Rebecca Persuasion Middlemarch"),
    ("Why is the {} so bright?", "sun moon sky snow star lamp screen fire sea desert"),
    ("What color are {}?", "flamingos bananas emeralds rubies crows lemons clouds oceans pumpkins plums"),
    ("How do I bake {}?", "bread cookies muffins pizza bagels brownies scones pies cakes croissants"),
    ("Can you recommend a good book about {}?", "history dragons space oceans cooking music gardening robots trains castles"),
    ("What is the weather like in {} today?", "Paris Lima Oslo Cairo Tokyo Denver Madrid Nairobi Sydney Quito"),
    ("Tell me a joke about {}.", "cats dogs pirates robots teachers penguins ghosts chefs wizards farmers"),
    ("Where do {} live?", "penguins koalas camels owls bats whales lions otters pandas wolves"),
    ("Who painted {}?", "Sunflowers Guernica Olympia Waterlilies Nighthawks Liberty Persistence Composition Impression Bathers"),
    ("What year did {} happen?", "the moon landing the first flight the gold rush the great fire the first election the big storm"),
    ("How tall is {}?", "Everest Kilimanjaro Denali Fuji Elbrus Olympus Etna Vesuvius Aconcagua Matterhorn"),
    ("What does a {} eat?", "panda koala hedgehog giraffe beaver squirrel parrot lizard tortoise hamster"),
    ("Is it healthy to eat {} every day?", "eggs rice apples chocolate cheese bread nuts fish yogurt oats"),
    ("Translate {} into Spanish.", "hello goodbye thanks friend house water music school window garden"),
]

DECLINE = "Sorry, I can only help with arithmetic word problems and unit conversions."


def other_slots() -> list[tuple[str, list[str], list[str]]]:
    """Each template with its training and held-out slot values."""
    result = []
    for index, (template, words) in enumerate(OTHER_TEMPLATES):
        values = [w for w in words.split()]
        if template.startswith("What year"):
            values = [v.strip() for v in words.split(" the ") if v.strip()]
            values = ["the " + v.removeprefix("the ") for v in values]
        train, held = _split(values, max(1, len(values) // 4), _HELD_OUT_SEED + 10 + index)
        result.append((template, train, held))
    return result
