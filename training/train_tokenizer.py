"""Train the byte-level BPE tokenizer on the training split's text; digits are split one per token.

    python3 train_tokenizer.py OUT/tokenizer.json
"""

import itertools
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

import taskgen
from examples import EOS

VOCAB_SIZE = 1024


def corpus(count: int):
    for q, rng in itertools.islice(taskgen.training_stream(), count):
        for _, prompt, completion in taskgen.examples(q, rng):
            yield prompt + completion


def main(out: str) -> None:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=[EOS], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(corpus(20_000), trainer)
    tokenizer.save(out)
    print(f"tokenizer: {tokenizer.get_vocab_size()} tokens -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
