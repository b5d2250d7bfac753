/// A set of unicode scalars: a regex character class, `\s`, `\p{L}`, `.`.
struct ScalarSet: Sendable {
    enum Item: Sendable {
        case range(UInt32, UInt32)
        /// Any of these general categories (bits from `ScalarSet.bit(_:)`).
        case categories(UInt32)
        /// White_Space (Oniguruma's and Rust's `\s`).
        case whiteSpace
        /// Oniguruma's Unicode `\w`: letters, marks, numbers, connector punctuation.
        case word
        case alphabetic
        case hexDigit
        case any
        case set(ScalarSet)
        indirect case not(Item)
    }

    let items: [Item]
    let negated: Bool
    let caseInsensitive: Bool
    /// Membership of the 128 ASCII scalars, precomputed.
    private let asciiLow: UInt64
    private let asciiHigh: UInt64

    init(items: [Item], negated: Bool = false, caseInsensitive: Bool = false) {
        self.items = items
        self.negated = negated
        self.caseInsensitive = caseInsensitive
        var low: UInt64 = 0, high: UInt64 = 0
        for value in 0..<128 where Self.slowContains(items, negated, caseInsensitive, Unicode.Scalar(UInt8(value))) {
            if value < 64 { low |= 1 << UInt64(value) } else { high |= 1 << UInt64(value - 64) }
        }
        asciiLow = low
        asciiHigh = high
    }

    static func item(_ item: Item) -> ScalarSet { ScalarSet(items: [item]) }

    @inline(__always)
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
        return Self.slowContains(items, negated, caseInsensitive, scalar)
    }

    private static func slowContains(_ items: [Item], _ negated: Bool, _ caseInsensitive: Bool, _ scalar: Unicode.Scalar) -> Bool {
        var found = items.contains { matches($0, scalar) }
        if !found && caseInsensitive {
            let folded = CaseFolding.fold(scalar)
            found = (folded != scalar && items.contains { matches($0, folded) })
            if !found, let upper = CaseFolding.upper(scalar), upper != scalar {
                found = items.contains { matches($0, upper) }
            }
        }
        return found != negated
    }

    private static func matches(_ item: Item, _ scalar: Unicode.Scalar) -> Bool {
        switch item {
        case .range(let low, let high): return scalar.value >= low && scalar.value <= high
        case .categories(let mask): return mask & bit(scalar.properties.generalCategory) != 0
        case .whiteSpace: return scalar.isWhiteSpace
        case .word:
            if scalar.value < 0x80 { return scalar.isRegexWord }
            return bit(scalar.properties.generalCategory) & (letters | marks | numbers | bit(.connectorPunctuation)) != 0
        case .alphabetic: return scalar.properties.isAlphabetic
        case .hexDigit:
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x46) || (v >= 0x61 && v <= 0x66)
        case .any: return true
        case .set(let set): return set.contains(scalar)
        case .not(let inner): return !matches(inner, scalar)
        }
    }

    // MARK: General categories

    static func bit(_ category: Unicode.GeneralCategory) -> UInt32 {
        let index: UInt32 = switch category {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 5
        case .spacingMark: 6
        case .enclosingMark: 7
        case .decimalNumber: 8
        case .letterNumber: 9
        case .otherNumber: 10
        case .connectorPunctuation: 11
        case .dashPunctuation: 12
        case .openPunctuation: 13
        case .closePunctuation: 14
        case .initialPunctuation: 15
        case .finalPunctuation: 16
        case .otherPunctuation: 17
        case .mathSymbol: 18
        case .currencySymbol: 19
        case .modifierSymbol: 20
        case .otherSymbol: 21
        case .spaceSeparator: 22
        case .lineSeparator: 23
        case .paragraphSeparator: 24
        case .control: 25
        case .format: 26
        case .surrogate: 27
        case .privateUse: 28
        case .unassigned: 29
        @unknown default: 29
        }
        return 1 << index
    }

    static let letters = bit(.uppercaseLetter) | bit(.lowercaseLetter) | bit(.titlecaseLetter) | bit(.modifierLetter) | bit(.otherLetter)
    static let marks = bit(.nonspacingMark) | bit(.spacingMark) | bit(.enclosingMark)
    static let numbers = bit(.decimalNumber) | bit(.letterNumber) | bit(.otherNumber)
    static let punctuation = bit(.connectorPunctuation) | bit(.dashPunctuation) | bit(.openPunctuation)
        | bit(.closePunctuation) | bit(.initialPunctuation) | bit(.finalPunctuation) | bit(.otherPunctuation)
    static let symbols = bit(.mathSymbol) | bit(.currencySymbol) | bit(.modifierSymbol) | bit(.otherSymbol)
    static let separators = bit(.spaceSeparator) | bit(.lineSeparator) | bit(.paragraphSeparator)
    static let others = bit(.control) | bit(.format) | bit(.surrogate) | bit(.privateUse) | bit(.unassigned)

    /// The item for a `\p{…}` name (Oniguruma spelling: case, spaces, `_` and `-` ignored).
    static func property(named raw: String) -> Item? {
        let name = String(raw.lowercased().unicodeScalars.filter { $0 != "_" && $0 != " " && $0 != "-" })
        let category: UInt32? = switch name {
        case "l", "letter": letters
        case "lc", "l&", "casedletter": bit(.uppercaseLetter) | bit(.lowercaseLetter) | bit(.titlecaseLetter)
        case "lu", "uppercaseletter": bit(.uppercaseLetter)
        case "ll", "lowercaseletter": bit(.lowercaseLetter)
        case "lt", "titlecaseletter": bit(.titlecaseLetter)
        case "lm", "modifierletter": bit(.modifierLetter)
        case "lo", "otherletter": bit(.otherLetter)
        case "m", "mark", "combiningmark": marks
        case "mn", "nonspacingmark": bit(.nonspacingMark)
        case "mc", "spacingmark": bit(.spacingMark)
        case "me", "enclosingmark": bit(.enclosingMark)
        case "n", "number": numbers
        case "nd", "decimalnumber": bit(.decimalNumber)
        case "nl", "letternumber": bit(.letterNumber)
        case "no", "othernumber": bit(.otherNumber)
        case "p", "punctuation": punctuation
        case "pc", "connectorpunctuation": bit(.connectorPunctuation)
        case "pd", "dashpunctuation": bit(.dashPunctuation)
        case "ps", "openpunctuation": bit(.openPunctuation)
        case "pe", "closepunctuation": bit(.closePunctuation)
        case "pi", "initialpunctuation": bit(.initialPunctuation)
        case "pf", "finalpunctuation": bit(.finalPunctuation)
        case "po", "otherpunctuation": bit(.otherPunctuation)
        case "s", "symbol": symbols
        case "sm", "mathsymbol": bit(.mathSymbol)
        case "sc", "currencysymbol": bit(.currencySymbol)
        case "sk", "modifiersymbol": bit(.modifierSymbol)
        case "so", "othersymbol": bit(.otherSymbol)
        case "z", "separator": separators
        case "zs", "spaceseparator": bit(.spaceSeparator)
        case "zl", "lineseparator": bit(.lineSeparator)
        case "zp", "paragraphseparator": bit(.paragraphSeparator)
        case "c", "other": others
        case "cc", "control", "cntrl": bit(.control)
        case "cf", "format": bit(.format)
        case "cs", "surrogate": bit(.surrogate)
        case "co", "privateuse": bit(.privateUse)
        case "cn", "unassigned": bit(.unassigned)
        default: nil
        }
        if let category { return .categories(category) }
        switch name {
        case "any": return .any
        case "alpha", "alphabetic": return .alphabetic
        case "space", "whitespace": return .whiteSpace
        case "word": return .word
        case "alnum": return .set(ScalarSet(items: [.alphabetic, .categories(numbers)]))
        case "xdigit", "asciihexdigit": return .hexDigit
        case "digit": return .categories(bit(.decimalNumber))
        default: return nil
        }
    }
}

/// Simple case folding, enough for `(?i:…)` in tokenizer patterns.
enum CaseFolding {
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x41...0x5A: return Unicode.Scalar(scalar.value + 0x20)!
        case 0x00...0x7F: return scalar
        case 0x17F: return "s"            // ſ
        case 0x212A: return "k"           // Kelvin sign
        case 0x212B: return "\u{E5}"      // Ångström sign
        case 0x3C2: return "\u{3C3}"      // final sigma
        case 0x1E9E: return "\u{DF}"      // capital sharp s
        default:
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            return lower.count == 1 ? lower.first! : scalar
        }
    }

    static func upper(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        return upper.count == 1 ? upper.first! : nil
    }
}
