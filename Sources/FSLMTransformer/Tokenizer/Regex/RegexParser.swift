/// Recursive-descent parser for the supported syntax.
struct RegexParser {
    let pattern: [Unicode.Scalar]
    var index = 0

    struct Flags {
        var caseInsensitive = false
        var dotAll = false
    }

    init(pattern: [Unicode.Scalar]) { self.pattern = pattern }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        var flags = Flags()
        let node = try parseAlternation(&flags)
        if index < pattern.count { throw RegexSyntaxError(message: "unmatched ')' at \(index)") }
        return node
    }

    private var atEnd: Bool { index >= pattern.count }
    private var peek: Unicode.Scalar? { index < pattern.count ? pattern[index] : nil }

    private func fail(_ message: String) -> RegexSyntaxError {
        RegexSyntaxError(message: "\(message) at offset \(index)")
    }

    private mutating func parseAlternation(_ flags: inout Flags) throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseSequence(&flags)]
        while peek == "|" {
            index += 1
            branches.append(try parseSequence(&flags))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence(_ flags: inout Flags) throws(RegexSyntaxError) -> RegexNode {
        var nodes: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            // An inline flag group `(?i)` changes the flags for the rest of the enclosing group.
            if c == "(", let (newFlags, length) = inlineFlags(at: index, flags), length > 0 {
                flags = newFlags
                index += length
                continue
            }
            var atom = try parseAtom(&flags)
            atom = try parseQuantifiers(atom)
            nodes.append(atom)
        }
        return nodes.count == 1 ? nodes[0] : .sequence(nodes)
    }

    /// `(?imx-imx)` at `start`: the flags it sets and its length; nil when not such a group.
    private func inlineFlags(at start: Int, _ flags: Flags) -> (Flags, Int)? {
        guard start + 2 < pattern.count, pattern[start] == "(", pattern[start + 1] == "?" else { return nil }
        var i = start + 2
        var result = flags
        var on = true
        while i < pattern.count {
            switch pattern[i] {
            case "i": result.caseInsensitive = on
            case "m": result.dotAll = on
            case "-": on = false
            case ")": return i == start + 2 ? nil : (result, i - start + 1)
            default: return nil
            }
            i += 1
        }
        return nil
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        var node = atom
        while let c = peek {
            var min = 0, max = Int.max
            var braces = false
            switch c {
            case "*": index += 1
            case "+": min = 1; index += 1
            case "?": max = 1; index += 1
            case "{":
                guard let (low, high, length) = braceQuantifier(at: index) else { return node }
                min = low; max = high; index += length; braces = true
            default:
                return node
            }
            var greedy = true
            var possessive = false
            if peek == "?" {
                greedy = false; index += 1
            } else if peek == "+" {
                if braces { throw fail("'{n,m}+' is not supported") }
                possessive = true; index += 1
            }
            node = .repetition(node, min: min, max: max, greedy: greedy)
            if possessive { node = .atomic(node) }
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}` at `start`; nil when the brace is a literal.
    private func braceQuantifier(at start: Int) -> (Int, Int, Int)? {
        var i = start + 1
        func number() -> Int? {
            var value: Int?
            while i < pattern.count, pattern[i].value >= 0x30, pattern[i].value <= 0x39 {
                value = (value ?? 0) * 10 + Int(pattern[i].value - 0x30)
                if value! > 100_000 { return nil }
                i += 1
            }
            return value
        }
        let low = number()
        var high = low
        if i < pattern.count, pattern[i] == "," {
            i += 1
            high = number() ?? Int.max
            if low == nil && high == Int.max { return nil }
        }
        guard i < pattern.count, pattern[i] == "}", low != nil || high != nil else { return nil }
        let lowValue = low ?? 0
        guard let highValue = high, lowValue <= highValue else { return nil }
        return (lowValue, highValue, i - start + 1)
    }

    private mutating func parseAtom(_ flags: inout Flags) throws(RegexSyntaxError) -> RegexNode {
        let c = pattern[index]
        switch c {
        case "(":
            return try parseGroup(flags)
        case "[":
            index += 1
            return .set(try parseClass(flags))
        case ".":
            index += 1
            return .set(flags.dotAll ? .item(.any) : ScalarSet(items: [.range(0x0A, 0x0A)], negated: true))
        case "^":
            index += 1
            return .assertion(.lineStart)
        case "$":
            index += 1
            return .assertion(.lineEnd)
        case "\\":
            index += 1
            switch try parseEscape(inClass: false) {
            case .scalar(let s): return literal(s, flags)
            case .item(let item): return .set(ScalarSet(items: [item], caseInsensitive: flags.caseInsensitive))
            case .node(let node): return node
            }
        case "*", "+", "?":
            throw fail("nothing to repeat")
        default:
            index += 1
            return literal(c, flags)
        }
    }

    private func literal(_ c: Unicode.Scalar, _ flags: Flags) -> RegexNode {
        if flags.caseInsensitive {
            let folded = CaseFolding.fold(c)
            if folded != c || CaseFolding.upper(c) != c { return .foldedScalar(folded) }
        }
        return .scalar(c)
    }

    private mutating func parseGroup(_ outer: Flags) throws(RegexSyntaxError) -> RegexNode {
        index += 1  // (
        var flags = outer
        enum Kind { case group, atomic, lookahead(Bool), lookbehind(Bool) }
        var kind = Kind.group
        if peek == "?" {
            index += 1
            guard let c = peek else { throw fail("unterminated group") }
            switch c {
            case ":": index += 1
            case "=": kind = .lookahead(false); index += 1
            case "!": kind = .lookahead(true); index += 1
            case ">": kind = .atomic; index += 1
            case "<":
                index += 1
                if peek == "=" { kind = .lookbehind(false); index += 1 }
                else if peek == "!" { kind = .lookbehind(true); index += 1 }
                else { try skipGroupName(until: ">") }
            case "P":
                index += 1
                guard peek == "<" else { throw fail("unsupported group syntax") }
                index += 1
                try skipGroupName(until: ">")
            case "'":
                index += 1
                try skipGroupName(until: "'")
            case "i", "m", "-":
                // `(?i-m:…)`
                var on = true
                while let f = peek, f != ":" {
                    switch f {
                    case "i": flags.caseInsensitive = on
                    case "m": flags.dotAll = on
                    case "-": on = false
                    default: throw fail("unsupported inline flag '\(f)'")
                    }
                    index += 1
                }
                guard peek == ":" else { throw fail("unterminated group") }
                index += 1
            default:
                throw fail("unsupported group syntax '(?\(c)'")
            }
        }
        let inner = try parseAlternation(&flags)
        guard peek == ")" else { throw fail("missing ')'") }
        index += 1
        switch kind {
        case .group: return inner
        case .atomic: return .atomic(inner)
        case .lookahead(let negative): return .lookahead(inner, negative: negative)
        case .lookbehind(let negative): return .lookbehind(inner, negative: negative)
        }
    }

    private mutating func skipGroupName(until end: Unicode.Scalar) throws(RegexSyntaxError) {
        while let c = peek, c != end { index += 1 }
        guard peek == end else { throw fail("unterminated group name") }
        index += 1
    }

    enum Escape {
        case scalar(Unicode.Scalar)
        case item(ScalarSet.Item)
        case node(RegexNode)
    }

    private mutating func hexDigits(maxCount: Int) throws(RegexSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        var count = 0
        while count < maxCount, let c = peek, let digit = c.isASCII ? UInt32(String(c), radix: 16) : nil {
            value = value * 16 + digit
            count += 1
            index += 1
        }
        guard count > 0 else { throw fail("expected hex digits") }
        return value
    }

    private func scalar(_ value: UInt32) throws(RegexSyntaxError) -> Unicode.Scalar {
        guard let s = Unicode.Scalar(value) else { throw fail("invalid code point") }
        return s
    }

    /// After the backslash.
    private mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
        guard let c = peek else { throw fail("trailing backslash") }
        index += 1
        switch c {
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "a": return .scalar("\u{07}")
        case "e": return .scalar("\u{1B}")
        case "0":
            var value: UInt32 = 0
            var count = 0
            while count < 2, let d = peek, d.value >= 0x30, d.value <= 0x37 {
                value = value * 8 + d.value - 0x30; count += 1; index += 1
            }
            return .scalar(try scalar(value))
        case "x":
            if peek == "{" {
                index += 1
                let value = try hexDigits(maxCount: 8)
                guard peek == "}" else { throw fail("unterminated \\x{") }
                index += 1
                return .scalar(try scalar(value))
            }
            return .scalar(try scalar(try hexDigits(maxCount: 2)))
        case "u":
            return .scalar(try scalar(try hexDigits(maxCount: 4)))
        case "d": return .item(.categories(ScalarSet.bit(.decimalNumber)))
        case "D": return .item(.not(.categories(ScalarSet.bit(.decimalNumber))))
        case "s": return .item(.whiteSpace)
        case "S": return .item(.not(.whiteSpace))
        case "w": return .item(.word)
        case "W": return .item(.not(.word))
        case "h": return .item(.hexDigit)
        case "H": return .item(.not(.hexDigit))
        case "p", "P":
            var negated = c == "P"
            var name = ""
            if peek == "{" {
                index += 1
                if peek == "^" { negated.toggle(); index += 1 }
                while let n = peek, n != "}" { name.unicodeScalars.append(n); index += 1 }
                guard peek == "}" else { throw fail("unterminated \\p{") }
                index += 1
            } else if let n = peek {
                name = String(n); index += 1
            }
            guard let item = ScalarSet.property(named: name) else { throw fail("unsupported property '\(name)'") }
            return .item(negated ? .not(item) : item)
        case "b":
            return inClass ? .scalar("\u{08}") : .node(.assertion(.wordBoundary))
        case "B" where !inClass: return .node(.assertion(.notWordBoundary))
        case "A" where !inClass: return .node(.assertion(.textStart))
        case "z" where !inClass: return .node(.assertion(.textEnd))
        case "Z" where !inClass: return .node(.assertion(.textEndBeforeNewline))
        default:
            if c.properties.isAlphabetic || c.properties.numericType != nil {
                throw fail("unsupported escape '\\\(c)'")
            }
            return .scalar(c)
        }
    }

    /// After the opening bracket.
    private mutating func parseClass(_ flags: Flags) throws(RegexSyntaxError) -> ScalarSet {
        var negated = false
        if peek == "^" { negated = true; index += 1 }
        var items: [ScalarSet.Item] = []
        var first = true
        while true {
            guard let c = peek else { throw fail("unterminated character class") }
            if c == "]" && !first { index += 1; break }
            first = false
            if c == "[" {
                if let item = posixBracket() { items.append(item); continue }
                index += 1
                items.append(.set(try parseClass(flags)))
                continue
            }
            if c == "&", index + 1 < pattern.count, pattern[index + 1] == "&" { throw fail("class intersection is not supported") }
            // One endpoint: a scalar or a class item.
            var low: Unicode.Scalar
            index += 1
            if c == "\\" {
                switch try parseEscape(inClass: true) {
                case .scalar(let s): low = s
                case .item(let item): items.append(item); continue
                case .node: throw fail("assertion in a class")
                }
            } else {
                low = c
            }
            // A range?
            if peek == "-", index + 1 < pattern.count, pattern[index + 1] != "]" {
                index += 1
                var high: Unicode.Scalar
                let h = pattern[index]
                index += 1
                if h == "\\" {
                    guard case .scalar(let s) = try parseEscape(inClass: true) else { throw fail("invalid range end") }
                    high = s
                } else if h == "[" {
                    throw fail("invalid range end")
                } else {
                    high = h
                }
                guard low.value <= high.value else { throw fail("invalid range") }
                items.append(.range(low.value, high.value))
            } else {
                items.append(.range(low.value, low.value))
            }
        }
        return ScalarSet(items: items, negated: negated, caseInsensitive: flags.caseInsensitive)
    }

    /// `[:alpha:]` or `[:^alpha:]` at `index`.
    private mutating func posixBracket() -> ScalarSet.Item? {
        guard index + 1 < pattern.count, pattern[index + 1] == ":" else { return nil }
        var i = index + 2
        var negated = false
        if i < pattern.count, pattern[i] == "^" { negated = true; i += 1 }
        var name = ""
        while i < pattern.count, pattern[i] != ":" { name.unicodeScalars.append(pattern[i]); i += 1 }
        guard i + 1 < pattern.count, pattern[i + 1] == "]" else { return nil }
        let item: ScalarSet.Item? = switch name {
        case "alpha": .alphabetic
        case "digit": .categories(ScalarSet.bit(.decimalNumber))
        case "alnum": .set(ScalarSet(items: [.alphabetic, .categories(ScalarSet.numbers)]))
        case "space": .whiteSpace
        case "upper": .categories(ScalarSet.bit(.uppercaseLetter))
        case "lower": .categories(ScalarSet.bit(.lowercaseLetter))
        case "punct": .categories(ScalarSet.punctuation)
        case "xdigit": .hexDigit
        case "word": .word
        case "cntrl": .categories(ScalarSet.bit(.control))
        case "blank": .set(ScalarSet(items: [.range(0x09, 0x09), .categories(ScalarSet.bit(.spaceSeparator))]))
        default: nil
        }
        guard let item else { return nil }
        index = i + 2
        return negated ? .not(item) : item
    }
}
