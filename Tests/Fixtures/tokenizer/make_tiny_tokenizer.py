#!/usr/bin/env python3
"""Trains tiny tokenizers with the Rust `tokenizers` library and writes, for each, its
tokenizer.json, expected.jsonl (ids for a test corpus) and decode.jsonl (random ids and their
text). fslm's Swift tokenizer tests check them all.

    /path/to/venv/bin/python Tests/Fixtures/tokenizer/make_tiny_tokenizer.py

Deterministic: the corpora are built here from fixed lists and a seeded generator.

Tokenizers (one folder each):
  tiny-bytelevel      NFC; Digits(individual) + ByteLevel pre-tokenizer; BOS template;
                      special and non-special added tokens (lstrip/rstrip/single_word)
  tiny-llama3         Llama 3 style: Split(Llama 3 regex) + ByteLevel(use_regex=false),
                      ignore_merges, <|begin_of_text|> template
  tiny-qwen2          Qwen2 style: NFC, Split(Qwen2 regex) + ByteLevel(use_regex=false)
  tiny-sentencepiece  Llama 2 / TinyLlama style: Prepend + Replace normalizers, no
                      pre-tokenizer, byte_fallback, unk, Replace/ByteFallback/Fuse/Strip decoder
  tiny-metaspace      Metaspace pre-tokenizer (prepend_scheme first) and decoder, byte_fallback
"""
import json
import os
import random
import sys

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB_SIZE = 500

LLAMA3_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

TRAINING_TEXT = """\
The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away.
It's a small model, and it doesn't need much: we'll train it here, they've said, I'm sure.
Numbers like 12345, 3.14159 and 2024-06-01 appear in text, as do prices ($19.99) and 50%.
def main():
    for i in range(10):
        print(f"value {i}")
    return None
if (x > 0 && y < 10) { return x + y; } else { return -1; }
https://example.com/path/to/page?query=tokens&lang=en#section
Hello, world! How are you today? Fine, thanks. Let's go: one, two, three.
Café, naïve, résumé, façade, jalapeño, Ångström, Zürich, São Paulo.
Le café est très bon. Der Bär lügt nicht. El niño comió. Ça va très bien.
東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.
مرحبا بالعالم. नमस्ते दुनिया। Привет, мир! Γειά σου κόσμε.
Emoji: 😀 👍 🎉 ❤️ 👨‍👩‍👧 🇫🇷 🇯🇵
    indented line
\ttabbed line
multiple   spaces   here
line one
line two

paragraph after a blank line
"""


def training_corpus():
    lines = TRAINING_TEXT.splitlines()
    # Repeat with variations so that merges beyond the basics get learned.
    out = []
    for round_ in range(20):
        for line in lines:
            out.append(line)
            out.append(line.lower())
        out.append(" ".join(str(round_ * 37 + k) for k in range(5)))
    return out


# Pieces of the test corpus, by kind.
SPACES = [" ", "  ", "   ", "    ", "        ", "\t", "\t\t", " \t ", "\n", "\n\n", "\n\n\n", " \n", "\n ", "\r\n",
          "\r\n\r\n", "\r", "\u00a0", "\u2009", "\u3000", "\u000b", "\u000c", "\u0085", "\u2028", "\u2029"]
WORDS = ["hello", "Hello", "HELLO", "world", "the", "The", "fox", "dog", "tokenizer", "model", "a", "I", "x",
         "supercalifragilisticexpialidocious", "don't", "it's", "we'll", "they've", "I'm", "she'd", "you're",
         "IT'S", "Don'T", "o'clock", "rock'n'roll", "'s", "'tis", "'ll"]
NUMBERS = ["0", "7", "42", "123", "1234", "12345", "1234567890", "3.14159", "-17", "+1", "1e10", "0x1F", "2024-06-01",
           "12:30:45", "1,000,000", "99.9%", "$19.99", "€5", "٣٤٥", "१२३", "½", "²", "Ⅻ", "①", "１２３",
           "98765432109876543210987654321"]
PUNCT = [".", ",", "!", "?", "...", "!!!", "?!", ";", ":", "-", "--", "—", "–", "(", ")", "[]", "{}", "<>", "\"", "'",
         "`", "~", "@", "#", "$", "%", "^", "&", "*", "_", "=", "+", "|", "\\", "/", "«", "»", "“", "”", "‘", "’",
         "¿", "¡", "…", "·", "•", "§", "©", "®", "™", "°"]
CODE = ["def f(x):\n    return x * 2\n", "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}",
        "if x == 1 and y != 2:", "print(\"hello, world\")", "let s = \"a\\tb\\n\";", "x := map[string]int{}",
        "SELECT * FROM users WHERE id = 42;", "<div class=\"main\">Hi</div>", "{\"key\": [1, 2, 3], \"ok\": true}",
        "a->b; c=>d; e::f; g..h; i...j", "#include <stdio.h>", "    # comment\n    pass", "x+=1;y-=2;z*=3",
        "λx.x", "fn main() { println!(\"{}\", 1); }", "$ ls -la | grep '.swift'", "```swift\nlet x = 1\n```"]
URLS = ["https://example.com", "http://www.example.org/path/to/page.html", "https://huggingface.co/gpt2?x=1&y=2#top",
        "ftp://files.example.net/pub/file.tar.gz", "mailto:someone@example.com", "user@example.com",
        "www.example.com/a_b-c~d", "https://例え.jp/パス", "C:\\Users\\name\\file.txt", "/usr/local/bin/swift"]
EMOJI = ["😀", "👍", "👍🏽", "🎉", "❤️", "❤", "👨‍👩‍👧‍👦", "👩‍💻", "🏳️‍🌈", "🇫🇷", "🇯🇵🇺🇸", "🏴‍☠️", "🤖", "✨",
         "☃", "⭐", "🫠", "1️⃣", "#️⃣", "😀😀😀", "🧑🏿‍🚀"]
CJK = ["中文", "日本語", "한국어", "東京は日本の首都です。", "北京是中国的首都", "こんにちは", "カタカナ", "ｶﾀｶﾅ",
       "漢字かなカナ", "我爱你", "你好，世界！", "（括号）", "「引用」", "한국어 텍스트", "𠀀𠀁"]
ACCENTED = ["café", "cafe\u0301", "naïve", "nai\u0308ve", "résumé", "re\u0301sume\u0301", "Ångström", "A\u030angstro\u0308m",
            "Zürich", "São Paulo", "façade", "jalapeño", "ǅ", "ﬁ", "ﬃ", "Å", "Ω", "K", "ß", "ẞ", "İstanbul", "ŉ",
            "Ελληνικά", "ΣΊΣΥΦΟΣ", "Привет", "ЁЖИК"]
ARABIC = ["مرحبا", "مرحبا بالعالم", "السَّلَامُ عَلَيْكُمْ", "العربية ١٢٣", "שלום עולם", "فارسی"]
DEVANAGARI = ["नमस्ते", "नमस्ते दुनिया", "हिन्दी", "क्षत्रिय", "ॐ", "१२३४"]
COMBINING = ["e\u0301", "a\u0300\u0301\u0302", "o\u0308\u0304", "x\u0336y\u0336", "\u0301", " \u0301", "Z\u0351\u0352\u0353",
             "n\u0303", "\u1100\u1161\u11a8", "각", "\u0915\u094d\u0937", "i\u0307"]
CONTROL = ["\u0000", "a\u0000b", "\u0001\u0002", "\u001b[31mred\u001b[0m", "\u007f", "\u200b", "\u200d", "\ufeff",
           "\ufffd", "\ue000", "\U0010ffff"]
CONTRACTIONS = ["I'm", "you're", "he's", "she'll", "we've", "they'd", "can't", "won't", "it's", "IT'S", "You'RE",
                "I'LL", "We'Ve", "'s", "'S", "''", "' s", "rock 'n' roll", "ma'am", "y'all's"]


def test_corpus(specials, rng):
    lines = [""]
    for group in (SPACES, WORDS, NUMBERS, PUNCT, CODE, URLS, EMOJI, CJK, ACCENTED, ARABIC, DEVANAGARI, COMBINING,
                  CONTROL, CONTRACTIONS):
        lines.extend(group)
    # Words surrounded by every kind of space.
    for space in SPACES:
        lines.append(f"hello{space}world")
        lines.append(f"{space}hello{space}")
    # Runs.
    lines += [" " * n for n in (2, 5, 17, 33)] + ["\n" * n for n in (4, 9)] + ["\t" * 7, " \n" * 5, "x" * 300, "ab" * 100,
              "1" * 50, "😀" * 20, "a" + " " * 40 + "b"]
    # Special tokens inside text.
    for special in specials:
        lines += [special, f"Hello{special}world", f"Hello {special} world", f"{special}{special}", f" {special}\n",
                  f"text {special}", f"{special[:-1]}", f"x{special}1{special}"]
    # Random mixtures from every group.
    everything = SPACES + WORDS + NUMBERS + PUNCT + URLS + EMOJI + CJK + ACCENTED + ARABIC + DEVANAGARI + COMBINING \
        + CONTRACTIONS + specials
    for _ in range(120):
        count = rng.randint(2, 9)
        lines.append("".join(rng.choice(everything) for _ in range(count)))
    # Random scalars from long-assigned blocks (letters, marks, digits, punctuation, symbols,
    # every kind of space and line break), for the regex classes.
    for _ in range(80):
        count = rng.randint(1, 24)
        lines.append("".join(chr(rng.randint(*rng.choice(FUZZ_RANGES))) for _ in range(count)))
    return lines


FUZZ_RANGES = [(0x20, 0x7E), (0x20, 0x7E), (0x09, 0x0D), (0x0A, 0x0A), (0x20, 0x20), (0x80, 0x24F), (0x300, 0x36F),
               (0x370, 0x3FF), (0x400, 0x4FF), (0x5D0, 0x5EA), (0x600, 0x6FF), (0x900, 0x97F), (0x2000, 0x206F),
               (0x20A0, 0x20BF), (0x2100, 0x218F), (0x2460, 0x24FF), (0x3000, 0x30FF), (0x4E00, 0x4E80),
               (0xAC00, 0xAC80), (0xFF00, 0xFFEF), (0x1F300, 0x1F64F), (0x10000, 0x1000B), (0x1D400, 0x1D4FF)]


def added_token_cases():
    # Added tokens with each flag, for the tiny-bytelevel tokenizer.
    return [
        AddedToken("<tool>", lstrip=True, rstrip=True, normalized=False, special=False),
        AddedToken("[[x]]", single_word=True, normalized=True, special=False),
        AddedToken("café", normalized=True, special=False),
    ]


def train(tok, special_tokens, byte_level):
    kwargs = dict(vocab_size=VOCAB_SIZE, special_tokens=special_tokens, show_progress=False)
    if byte_level:
        kwargs["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(**kwargs)
    tok.train_from_iterator(training_corpus(), trainer=trainer)
    return tok


def with_model_options(tok, **options):
    """Reloads `tok` with extra BPE model fields (the trainer leaves them as they were)."""
    data = json.loads(tok.to_str())
    data["model"].update(options)
    return Tokenizer.from_str(json.dumps(data))


def make_bytelevel():
    specials = ["<|endoftext|>", "<|stage|>", "<|bos|>"]
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    train(tok, specials, byte_level=True)
    tok.add_tokens(added_token_cases())
    bos = tok.token_to_id("<|bos|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|bos|> $A", special_tokens=[("<|bos|>", bos)]),
    ])
    return tok, specials + ["<tool>", "[[x]]", "café"]


def make_split(pattern, nfc, ignore_merges):
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"]
    tok = Tokenizer(models.BPE())
    if nfc:
        tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(pattern=Regex(pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    train(tok, specials, byte_level=True)
    if ignore_merges:
        tok = with_model_options(tok, ignore_merges=True)
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", special_tokens=[("<|begin_of_text|>", bos)]),
    ])
    return tok, specials


def sentencepiece_model():
    """A BPE model with <unk>, <s>, </s>, the 256 <0xXX> byte tokens, then merges learned on
    ▁-separated words (as SentencePiece-converted Llama 2 vocabularies are laid out)."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True)
    train(tok, ["<unk>", "<s>", "</s>"], byte_level=False)
    data = json.loads(tok.to_str())
    learned = sorted(data["model"]["vocab"].items(), key=lambda item: item[1])
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for byte in range(256):
        vocab[f"<0x{byte:02X}>"] = len(vocab)
    for token, _ in learned:
        if token not in vocab:
            vocab[token] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in data["model"]["merges"]]
    return vocab, merges


def make_sentencepiece(vocab, merges):
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.add_special_tokens([AddedToken("<unk>", normalized=False, special=True),
                            AddedToken("<s>", normalized=False, special=True),
                            AddedToken("</s>", normalized=False, special=True)])
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(content=" ", left=1, right=0)])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    return tok, ["<unk>", "<s>", "</s>"]


def make_metaspace(vocab, merges):
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.add_special_tokens([AddedToken("<unk>", normalized=False, special=True),
                            AddedToken("<s>", normalized=False, special=True),
                            AddedToken("</s>", normalized=False, special=True)])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace(replacement="▁", prepend_scheme="first")])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 1), ("</s>", 2)])
    return tok, ["<unk>", "<s>", "</s>"]


def write(name, tok, specials, seed):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    # Pretty-printed, as tokenizer.json files usually are; keys in the library's order.
    data = json.loads(tok.to_str())
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    rng = random.Random(seed)
    corpus = test_corpus(specials, rng)
    assert len(corpus) >= 300, len(corpus)
    with open(os.path.join(folder, "expected.jsonl"), "w", encoding="utf-8") as f:
        for index, text in enumerate(corpus):
            ids = tok.encode(text, add_special_tokens=False).ids
            record = {
                "source": f"{name}:{index + 1}",
                "text": text,
                "ids": ids,
                "ids_with_special_tokens": tok.encode(text, add_special_tokens=True).ids,
                "decoded": tok.decode(ids, skip_special_tokens=False),
                "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
            }
            f.write(json.dumps(record, ensure_ascii=True) + "\n")
    size = tok.get_vocab_size(with_added_tokens=True)
    special_ids = [tok.token_to_id(s) for s in specials if tok.token_to_id(s) is not None]
    with open(os.path.join(folder, "decode.jsonl"), "w", encoding="utf-8") as f:
        for _ in range(150):
            ids = [rng.randrange(size) for _ in range(rng.randint(1, 12))]
            if rng.random() < 0.3:
                ids.insert(rng.randrange(len(ids) + 1), rng.choice(special_ids))
            record = {
                "ids": ids,
                "decoded": tok.decode(ids, skip_special_tokens=False),
                "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
            }
            f.write(json.dumps(record, ensure_ascii=True) + "\n")
    print(f"{name}: vocab {size}, {len(corpus)} texts, 150 decodes")


def main():
    if tokenizers.__version__ != "0.23.3":
        print(f"warning: tokenizers {tokenizers.__version__}, the fixtures were made with 0.23.3", file=sys.stderr)
    tok, specials = make_bytelevel()
    write("tiny-bytelevel", tok, specials, seed=1)
    tok, specials = make_split(LLAMA3_PATTERN, nfc=False, ignore_merges=True)
    write("tiny-llama3", tok, specials, seed=2)
    tok, specials = make_split(QWEN2_PATTERN, nfc=True, ignore_merges=False)
    write("tiny-qwen2", tok, specials, seed=3)
    vocab, merges = sentencepiece_model()
    tok, specials = make_sentencepiece(vocab, merges)
    write("tiny-sentencepiece", tok, specials, seed=4)
    tok, specials = make_metaspace(vocab, merges)
    write("tiny-metaspace", tok, specials, seed=5)


if __name__ == "__main__":
    main()
