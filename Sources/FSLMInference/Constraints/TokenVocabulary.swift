/// What a token constraint needs to know of a tokenizer: the bytes each token id adds to the
/// output, and which ids end the sequence.
///
/// `bytes[id]` is the UTF-8 the token contributes when it is decoded as part of a continuation:
/// byte-fallback tokens (`<0xE2>`) are their one raw byte, SentencePiece's `▁` is a space, and
/// a byte-level BPE token is its decoded bytes. A token may hold part of a character.
/// End-of-sequence tokens add no text (their `bytes` are ignored). Other tokens with no bytes
/// (control tokens) can never be allowed by a constraint, as they would not advance it.
public struct TokenVocabulary: Sendable, Hashable {
    /// The bytes of each token id, indexed by id.
    public let bytes: [[UInt8]]
    /// The ids that end a sequence.
    public let endOfSequence: Set<Int>
    /// The text tokens (not end-of-sequence, not empty) by their first byte.
    private let tokensByFirstByte: [[Int]]

    /// A vocabulary where token id `i` is `bytes[i]`, and `endOfSequence` lists the ids ending a
    /// sequence.
    public init(bytes: [[UInt8]], endOfSequence: Set<Int>) {
        self.bytes = bytes
        self.endOfSequence = endOfSequence
        var index = Array(repeating: [Int](), count: 256)
        for (token, tokenBytes) in bytes.enumerated() where !endOfSequence.contains(token) {
            guard let first = tokenBytes.first else { continue }
            index[Int(first)].append(token)
        }
        self.tokensByFirstByte = index
    }

    /// A vocabulary where token id `i` is the UTF-8 of `tokens[i]`.
    public init(tokens: [String], endOfSequence: Set<Int>) {
        self.init(bytes: tokens.map { Array($0.utf8) }, endOfSequence: endOfSequence)
    }

    /// The number of token ids.
    public var count: Int { bytes.count }

    /// Whether `token` ends a sequence.
    public func isEndOfSequence(_ token: Int) -> Bool {
        endOfSequence.contains(token)
    }

    /// The text tokens (not end-of-sequence, not empty) whose bytes start with `byte`, ascending.
    func tokens(startingWith byte: UInt8) -> [Int] {
        tokensByFirstByte[Int(byte)]
    }
}
