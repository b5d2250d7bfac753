/// How validator messages quote a reply (or part of one) back to the model.
///
/// A quote is one line: at most `limit` characters of the text followed by "…" when
/// the text is longer, with line breaks, tabs and other control characters written as
/// escapes (`\n`, `\t`, `\u{1}`) so that every feedback message stays on its own line.
enum ReplyExcerpt {
    /// The default number of characters quoted.
    static let limit = 80

    /// `"3 + 5 equals 8"`: the text, shortened and escaped, in double quotes.
    static func quoted(_ text: String, limit: Int = ReplyExcerpt.limit) -> String {
        "\"" + excerpt(text, limit: limit) + "\""
    }

    /// The text shortened to `limit` characters (plus "…") and escaped, without quotes.
    static func excerpt(_ text: String, limit: Int = ReplyExcerpt.limit) -> String {
        let shortened = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return escaped(shortened)
    }

    /// Control characters as escapes; everything else verbatim.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
