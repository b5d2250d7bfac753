extension Tokenizer {
    /// Decodes ids as they are generated: `push` returns the text that is now final, never
    /// half a UTF-8 character, and `finish` what is left. The pieces joined equal
    /// `decode(ids)` of all the ids pushed.
    ///
    /// For byte-level tokenizers it works on bytes: complete characters go out at once, an
    /// incomplete one waits for its next bytes, and bytes that can no longer form a character
    /// go out as U+FFFD, as `decode` writes them. For other decoders (SentencePiece style) it
    /// re-decodes a short window of ids, as the Rust library's `DecodeStream` does, and holds
    /// text back while it ends in U+FFFD. Unlike `DecodeStream`, it also holds a run of
    /// byte-fallback tokens (`<0xE4><0xBD><0xA0>`) until a token that is not a byte ends it,
    /// because the `ByteFallback` decoder turns the whole run into U+FFFDs when any byte of it
    /// is invalid; and it leaves skipped special tokens out of the window. So the pieces always
    /// add up to `decode`, where `DecodeStream` fails on such input.
    public struct StreamingDecoder: Sendable {
        public let tokenizer: Tokenizer
        public let skipSpecialTokens: Bool
        /// Byte mode: bytes not yet emitted (an incomplete UTF-8 sequence).
        private var pending: [UInt8] = []
        /// Window mode: the ids of the window, the text of its first `prefixIndex` ids
        /// already emitted.
        private var ids: [Int] = []
        private var prefix: [UInt8] = []
        private var prefixIndex = 0

        public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
            self.tokenizer = tokenizer
            self.skipSpecialTokens = skipSpecialTokens
        }

        /// Adds one id; returns the text that became final (often empty mid-character).
        public mutating func push(_ id: Int) -> String {
            if tokenizer.decodesBytes {
                guard let bytes = tokenizer.tokenBytes(id) else { return "" }
                if skipSpecialTokens && tokenizer.isSpecialToken(id) { return "" }
                pending.append(contentsOf: bytes)
                let cut = Self.completePrefixLength(pending)
                guard cut > 0 else { return "" }
                let text = String(decoding: pending[..<cut], as: UTF8.self)
                pending.removeFirst(cut)
                return text
            }
            // Ids that decode to nothing stay out of the window, so the context stays a real token.
            guard let token = tokenizer.tokenString(id) else { return "" }
            if skipSpecialTokens && tokenizer.isSpecialToken(id) { return "" }
            ids.append(id)
            // A run of <0xXX> tokens decodes as a whole (one U+FFFD per byte if any is
            // invalid): wait for its end.
            if tokenizer.decodesByteFallback && ByteFallbackDecoder.byte(of: token) != nil { return "" }
            let text = Array(tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens).utf8)
            guard text.count > prefix.count, !text.ends(with: Self.replacementCharacter) else { return "" }
            let fresh = text.starts(with: prefix) ? Array(text[prefix.count...]) : text
            let newPrefixIndex = ids.count - prefixIndex
            ids.removeFirst(prefixIndex)
            prefix = Array(tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens).utf8)
            prefixIndex = newPrefixIndex
            return String(decoding: fresh, as: UTF8.self)
        }

        /// The text still held back (an unfinished character becomes U+FFFD); the decoder can
        /// be used again afterwards.
        public mutating func finish() -> String {
            if tokenizer.decodesBytes {
                defer { pending.removeAll() }
                return String(decoding: pending, as: UTF8.self)
            }
            defer { ids.removeAll(); prefix.removeAll(); prefixIndex = 0 }
            let text = Array(tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens).utf8)
            guard text.count > prefix.count else { return "" }
            return String(decoding: text.starts(with: prefix) ? Array(text[prefix.count...]) : text, as: UTF8.self)
        }

        private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

        /// How many leading bytes of `bytes` decode the same whatever bytes follow: all but a
        /// trailing incomplete (still completable) UTF-8 sequence.
        static func completePrefixLength(_ bytes: [UInt8]) -> Int {
            let count = bytes.count
            var back = 1
            while back <= min(4, count) {
                let byte = bytes[count - back]
                if byte & 0xC0 == 0x80 {  // continuation byte: keep looking for the lead
                    back += 1
                    continue
                }
                let length: Int = switch byte {
                case 0xC2...0xDF: 2
                case 0xE0...0xEF: 3
                case 0xF0...0xF4: 4
                default: 0
                }
                guard length > back else { return count }  // complete, ASCII or invalid lead
                // Are the continuation bytes so far valid for this lead?
                for offset in 1..<back {
                    let continuation = bytes[count - back + offset]
                    let range: ClosedRange<UInt8> = switch (offset, byte) {
                    case (1, 0xE0): 0xA0...0xBF
                    case (1, 0xED): 0x80...0x9F
                    case (1, 0xF0): 0x90...0xBF
                    case (1, 0xF4): 0x80...0x8F
                    default: 0x80...0xBF
                    }
                    if !range.contains(continuation) { return count }
                }
                return count - back
            }
            return count
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
