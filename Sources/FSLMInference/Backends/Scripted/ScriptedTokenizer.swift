/// The scripted backend's notion of a token, simple enough to count by eye: a maximal run of
/// letters and digits (`Character.isLetter`/`isNumber`, any script), or any other single
/// character, each space, newline and punctuation mark counting alone.
///
/// `"forty-two apples."` is 6 tokens: `forty`, `-`, `two`, ` `, `apples`, `.`; `"3 + 5 = 8"` is 9,
/// one per character. The empty text is 0 tokens.
/// A prefix cut at token boundaries tokenizes back to the same tokens.
enum ScriptedTokenizer {
    /// The end offset (in `Character`s, exclusive) of each token of `characters`, ascending.
    static func tokenEnds(_ characters: [Character]) -> [Int] {
        var ends: [Int] = []
        var index = 0
        while index < characters.count {
            if isWordCharacter(characters[index]) {
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
            } else {
                index += 1
            }
            ends.append(index)
        }
        return ends
    }

    /// The tokens of `text`, in order; they concatenate to `text`.
    static func tokens(_ text: String) -> [String] {
        let characters = Array(text)
        var start = 0
        return tokenEnds(characters).map { end in
            defer { start = end }
            return String(characters[start..<end])
        }
    }

    /// The number of tokens of `text`.
    static func count(_ text: String) -> Int {
        tokenEnds(Array(text)).count
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
