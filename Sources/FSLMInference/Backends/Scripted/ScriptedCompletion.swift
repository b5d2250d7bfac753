/// How much of a scripted reply a request lets through: stop strings and `maxTokens`, applied
/// as if the reply were being generated one `ScriptedTokenizer` token at a time.
///
/// - A stop string is noticed once the token holding its last character is generated; the
///   text then ends where it began (`.stop`). When several are noticed at the same token, the
///   one that begins first wins, so the text never contains any stop string. Empty stop
///   strings are ignored.
/// - Otherwise, a reply longer than `maxTokens` keeps its first `maxTokens` tokens (`.length`);
///   a stop string that would only be noticed past the limit does not count.
/// - Otherwise the whole reply is the text (`.endOfText`), even when it has exactly
///   `maxTokens` tokens: the scripted "model" ends its text for free.
///
/// `completionTokens` is always the token count of the returned text.
struct ScriptedCompletion: Equatable {
    var text: String
    var finishReason: GenerationResult.FinishReason
    var completionTokens: Int

    init(text: String, finishReason: GenerationResult.FinishReason, completionTokens: Int) {
        self.text = text
        self.finishReason = finishReason
        self.completionTokens = completionTokens
    }

    /// The part of `reply` that `stop` and `maxTokens` let through (`maxTokens` below 0 counts as 0).
    init(reply: String, stop: [String], maxTokens: Int?) {
        let characters = Array(reply)
        let ends = ScriptedTokenizer.tokenEnds(characters)
        let limit = maxTokens.map { max(0, $0) }

        // The stop string noticed first: smallest token index, then earliest start.
        var noticed: (token: Int, start: Int)?
        for stop in stop where !stop.isEmpty {
            let pattern = Array(stop)
            guard let start = Self.firstOccurrence(of: pattern, in: characters) else { continue }
            let end = start + pattern.count
            let token = ends.firstIndex { $0 >= end } ?? ends.count - 1
            if let current = noticed, (current.token, current.start) <= (token, start) { continue }
            noticed = (token, start)
        }

        if let noticed, limit.map({ noticed.token < $0 }) ?? true {
            let text = String(characters[..<noticed.start])
            self.init(text: text, finishReason: .stop, completionTokens: ScriptedTokenizer.count(text))
        } else if let limit, ends.count > limit {
            let end = limit == 0 ? 0 : ends[limit - 1]
            self.init(text: String(characters[..<end]), finishReason: .length, completionTokens: limit)
        } else {
            self.init(text: reply, finishReason: .endOfText, completionTokens: ends.count)
        }
    }

    /// The offset of the first occurrence of `pattern` (not empty) in `characters`.
    private static func firstOccurrence(of pattern: [Character], in characters: [Character]) -> Int? {
        guard pattern.count <= characters.count else { return nil }
        for start in 0...(characters.count - pattern.count)
        where characters[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start
        }
        return nil
    }
}
