import FSLMInference

/// Breaks workflow files in seeded, reproducible ways, for fuzz tests.
///
/// A case is fixed by its seed: `mutate(text, seed:)` applies 1 to 4 operators chosen and
/// parameterised by a `SeededGenerator` (SplitMix64) started from that seed. Mutations work on UTF-8 bytes, so a
/// case may hold bytes that are not valid UTF-8; `Case.text` decodes them as a reader would.
public enum WorkflowMutator {
    /// One way of breaking a file.
    public enum Operator: String, CaseIterable, Sendable {
        case deleteLine, duplicateLine, swapLines, swapCharacters
        case insertBytes, deleteBytes, replaceBytes
        case indentLine, dedentLine, truncate
        case deepNesting, repeatBlock, aliasBomb, changeNumber, renameKey
    }

    /// A mutated file and how it was made.
    public struct Case: Sendable {
        public var seed: UInt64
        public var operators: [Operator]
        /// The file's bytes, not necessarily valid UTF-8.
        public var bytes: [UInt8]

        /// The bytes as text; ill-formed UTF-8 becomes U+FFFD.
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The seed of case `index` of the file named `name` (FNV-1a of the name, mixed with the index),
    /// so cases of different files differ and each is found again from its name and index.
    public static func seed(name: String, index: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var mixer = SeededGenerator(seed: hash ^ UInt64(index))
        return mixer.next()
    }

    /// `text` broken by 1 to 4 operators drawn from `seed`.
    public static func mutate(_ text: String, seed: UInt64) -> Case {
        var random = SeededGenerator(seed: seed)
        var bytes = Array(text.utf8)
        var operators: [Operator] = []
        for _ in 0..<random.int(in: 1...4) {
            let op = random.pick(Operator.allCases)
            operators.append(op)
            apply(op, to: &bytes, &random)
        }
        return Case(seed: seed, operators: operators, bytes: bytes)
    }

    // MARK: Operators

    private static func apply(_ op: Operator, to bytes: inout [UInt8], _ random: inout SeededGenerator) {
        switch op {
        case .deleteLine, .duplicateLine, .swapLines, .indentLine, .dedentLine, .repeatBlock:
            var lines = split(bytes)
            applyToLines(op, &lines, &random)
            bytes = join(lines)
        case .swapCharacters:
            guard bytes.count > 1 else { return }
            let i = random.below(bytes.count - 1)
            let j = random.chance(50) ? i + 1 : random.below(bytes.count)
            bytes.swapAt(i, j)
        case .insertBytes:
            bytes.insert(contentsOf: noise(&random), at: random.below(bytes.count + 1))
        case .deleteBytes:
            guard !bytes.isEmpty else { return }
            let start = random.below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + random.int(in: 1...16)))
        case .replaceBytes:
            guard !bytes.isEmpty else { return }
            let start = random.below(bytes.count)
            bytes.replaceSubrange(start..<min(bytes.count, start + random.int(in: 1...6)), with: noise(&random))
        case .truncate:
            bytes = Array(bytes.prefix(random.below(bytes.count + 1)))
        case .deepNesting:
            nest(&bytes, &random)
        case .aliasBomb:
            var lines = split(bytes)
            let at = random.below(lines.count + 1)
            let indent = at < lines.count ? lines[at].prefix { $0 == UInt8(ascii: " ") } : []
            lines.insert(contentsOf: aliasBomb(levels: random.int(in: 3...10)).map { indent + $0 }, at: at)
            bytes = join(lines)
        case .changeNumber:
            changeNumber(&bytes, &random)
        case .renameKey:
            renameKey(&bytes, &random)
        }
    }

    private static func applyToLines(_ op: Operator, _ lines: inout [[UInt8]], _ random: inout SeededGenerator) {
        let i = random.below(lines.count)
        switch op {
        case .deleteLine:
            lines.remove(at: i)
            if lines.isEmpty { lines = [[]] }
        case .duplicateLine:
            lines.insert(lines[i], at: i)
        case .swapLines:
            lines.swapAt(i, random.below(lines.count))
        case .indentLine:
            lines[i].insert(contentsOf: repeatElement(UInt8(ascii: " "), count: random.int(in: 1...4)), at: 0)
        case .dedentLine:
            let blanks = lines[i].prefix { $0 == UInt8(ascii: " ") }.count
            lines[i].removeFirst(min(blanks, random.int(in: 1...4)))
        default:
            let block = Array(lines[i..<min(lines.count, i + random.int(in: 1...8))])
            let copies = Array(repeatElement(block, count: random.int(in: 1...20)).joined())
            lines.insert(contentsOf: copies, at: i + block.count)
        }
    }

    /// Characters that mean something to YAML, Mustache or expressions, text that is not ASCII,
    /// control characters, and single bytes that may not be valid UTF-8 on their own.
    private static let noiseTokens: [[UInt8]] = {
        let texts = ["\t", "\0", "{", "}", "[", "]", ":", "&", "*", "|", ">", "\"", "'", "#", "\n", "\r", " ",
                     "-", "!", "%", "@", "`", ",", "?", "{{", "}}", "é", "€", "😀", "\u{FEFF}", "\u{85}",
                     "\u{2028}", "\u{7F}", "\u{1B}", "ﬁ", "ｘ", "\u{301}"]
        return texts.map { Array($0.utf8) } + [[0x80], [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
    }()

    /// 1 to 6 tokens of noise, or occasionally one random byte.
    private static func noise(_ random: inout SeededGenerator) -> [UInt8] {
        if random.chance(10) { return [UInt8(truncatingIfNeeded: random.next())] }
        return (0..<random.int(in: 1...6)).flatMap { _ in random.pick(noiseTokens) }
    }

    /// Thousands of nesting levels: flow lists or mappings, block lists, template sections, or
    /// parenthesised or negated conditions, inserted at a random place or after a key's colon
    /// (conditions preferably after `when: `).
    private static func nest(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        let depth = random.int(in: 1_000...5_000)
        let section = random.pick(["a", "inputs.question", "inputs.sentence"])
        let (open, close, core): (String, String, String) = random.pick([
            ("[", "]", "x"), ("{a: ", "}", "x"), ("- ", "", "x"), ("{{#\(section)}}", "{{/\(section)}}", "{{b}}"),
            ("(", ")", "true"), ("!", "", "true"), ("[[", "]]", "1"),
        ])
        var insertion = String(repeating: open, count: depth) + core
        if random.chance(50) { insertion += String(repeating: close, count: depth) }
        if open == "- " { insertion = "\n" + insertion + "\n" }
        let isCondition = core == "true"
        bytes.insert(contentsOf: Array(insertion.utf8), at: nestingPoint(bytes, afterWhen: isCondition, &random))
    }

    /// The byte offset just after a random `: ` (a mapping value), or the start or a random spot;
    /// with `afterWhen`, after a `when: ` when the file has one.
    private static func nestingPoint(_ bytes: [UInt8], afterWhen: Bool, _ random: inout SeededGenerator) -> Int {
        let colons = bytes.indices.dropLast().filter {
            bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: " ")
        }
        let whens = colons.filter { $0 >= 4 && bytes[($0 - 4)..<$0].elementsEqual("when".utf8) }
        if afterWhen, !whens.isEmpty { return random.pick(whens) + 2 }
        if !colons.isEmpty, random.chance(60) { return random.pick(colons) + 2 }
        return random.chance(50) ? 0 : random.below(bytes.count + 1)
    }

    /// A "billion laughs" mapping: each level lists the one before it nine times.
    private static func aliasBomb(levels: Int) -> [[UInt8]] {
        var lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<levels {
            let aliases = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("lol\(level): &l\(level) [\(aliases)]")
        }
        return lines.map { Array($0.utf8) }
    }

    /// Replaces one run of digits (with any sign, fraction or exponent) by an awkward number.
    private static func changeNumber(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        let digits = spans(in: bytes) { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !digits.isEmpty else { return }
        let replacement = random.pick([
            "99999999999999999999999999", "9223372036854775808", "-9223372036854775809", "-1", "-0", "0", "0.5",
            "-2.75", "1e308", "1e400", "-1e400", "4.9e-324", ".inf", "-.inf", ".nan", "0x10", "1_000", "+7", "1.",
            "00012",
        ])
        bytes.replaceSubrange(random.pick(digits), with: Array(replacement.utf8))
    }

    /// Changes one letter of a mapping key: replaces, drops, doubles or swaps it with the next.
    private static func renameKey(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        let isKeyByte: (UInt8) -> Bool = { $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        let keys = spans(in: bytes, where: isKeyByte).filter { $0.upperBound < bytes.count && bytes[$0.upperBound] == UInt8(ascii: ":") }
        guard !keys.isEmpty else { return }
        let key = random.pick(keys)
        let i = key.lowerBound + random.below(key.count)
        switch random.below(4) {
        case 0: bytes[i] = UInt8(ascii: "a") + UInt8(random.below(26))
        case 1: bytes.remove(at: i)
        case 2: bytes.insert(bytes[i], at: i)
        default: if i + 1 < key.upperBound { bytes.swapAt(i, i + 1) } else { bytes[i] = UInt8(ascii: "x") }
        }
    }

    // MARK: Helpers

    /// Maximal runs of bytes satisfying `predicate`.
    private static func spans(in bytes: [UInt8], where predicate: (UInt8) -> Bool) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int?
        for (i, byte) in bytes.enumerated() {
            if predicate(byte) {
                if start == nil { start = i }
            } else if let s = start {
                result.append(s..<i)
                start = nil
            }
        }
        if let s = start { result.append(s..<bytes.count) }
        return result
    }

    private static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    private static func join(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}
