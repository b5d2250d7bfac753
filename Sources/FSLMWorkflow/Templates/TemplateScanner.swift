/// What a scan of a template's text found.
struct TemplateScan {
    var variables: [TemplateVariable] = []
    var partials: [TemplatePartial] = []
    /// The delimiters in force at the end of the template.
    var openDelimiter = "{{", closeDelimiter = "}}"
    /// The scalar offset where the text after the last tag starts.
    var trailingTextOffset = 0
}

/// Reads a Mustache template's tags to find the variables and partials it uses, each at its
/// file location, and reports structural syntax errors at the offending tag.
///
/// It follows swift-mustache's grammar (tag names, transforms such as `upper(x)`, set
/// delimiters, blocks and parents) but is a little stricter: empty tag names are errors, the
/// only pragma allowed is `{{% CONTENT_TYPE: TEXT }}`, and sections nest at most
/// `maxSectionNesting` deep. What may appear inside a parent (`{{<parent}}`) is left to
/// swift-mustache to check.
struct TemplateScanner {
    /// A place in the template: a 0-based offset in Unicode scalars and a 1-based line and column.
    private struct Position {
        var offset = 0, line = 1, column = 1

        /// This position moved `count` scalars right on the same line.
        func advanced(by count: Int) -> Position {
            Position(offset: offset + count, line: line, column: column + count)
        }
    }

    /// A section, block or parent awaiting its closing tag.
    private struct OpenSection {
        var name: String
        var tag: Position
        /// Whether the section can push an item that names inside it resolve against.
        var isScope: Bool
    }

    private let text: [Unicode.Scalar]
    private let origin: ScalarOrigin
    private var position = Position()
    private var openDelimiter: [Unicode.Scalar] = ["{", "{"]
    private var closeDelimiter: [Unicode.Scalar] = ["}", "}"]
    private var sections: [OpenSection] = []
    private var scan = TemplateScan()

    private static let nameCharacters = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*()".unicodeScalars)
    private static let partialNameCharacters = nameCharacters.union(["/"])
    /// The most sections, blocks and parents that may enclose one another. swift-mustache parses
    /// and renders them recursively, so a hostile template must not nest without bound.
    static let maxSectionNesting = 100

    private init(_ source: String, origin: ScalarOrigin) {
        self.text = Array(source.unicodeScalars)
        self.origin = origin
    }

    /// Scans `source`, whose text starts at `origin`.
    static func scan(_ source: String, origin: ScalarOrigin) throws(TemplateSyntaxError) -> TemplateScan {
        var scanner = TemplateScanner(source, origin: origin)
        while let tag = scanner.skipToTag() {
            try scanner.scanTag(startingAt: tag)
            scanner.scan.trailingTextOffset = scanner.position.offset
        }
        if let open = scanner.sections.last {
            throw scanner.error("section '\(open.name)' is not closed", at: open.tag)
        }
        scanner.scan.openDelimiter = String(scalars: scanner.openDelimiter)
        scanner.scan.closeDelimiter = String(scalars: scanner.closeDelimiter)
        return scanner.scan
    }

    // MARK: Tags

    /// Reads one tag whose opening delimiter starts at `tag`; the delimiter is already consumed.
    private mutating func scanTag(startingAt tag: Position) throws(TemplateSyntaxError) {
        let sigil = peek()
        switch sigil {
        case "#", "^":
            advance()
            let name = try readName(tag)
            record(name, kind: sigil == "#" ? .section : .invertedSection)
            try open(OpenSection(name: name.text, tag: tag, isScope: true))
        case "$":
            advance()
            let name = try readName(tag)
            try open(OpenSection(name: name.text, tag: tag, isScope: false))
        case "/":
            advance()
            let name = try readName(tag)
            try close(name.text, tag: tag)
        case "!":
            advance()
            guard skip(past: closeDelimiter) else { throw error("comment is not closed", at: tag) }
        case "%":
            advance()
            try checkPragma(tag)
        case "{":
            advance()
            let name = try readName(tag)
            guard peek() == "}" else {
                throw error("'\(spell("{" + name.text))' is missing its final '}'", at: tag)
            }
            advance()
            record(name, kind: .variable)
        case "&":
            advance()
            record(try readName(tag), kind: .variable)
        case ">", "<":
            advance()
            try scanPartial(tag, isParent: sigil == "<")
        case "=":
            advance()
            try setDelimiters(tag)
        default:
            record(try readName(tag), kind: .variable)
        }
    }

    /// Reads `{{> name}}`, `{{>*name}}` (a partial named by a variable) or `{{< parent}}`
    /// (`{{<*name}}` when dynamic), which opens a section of block overrides.
    private mutating func scanPartial(_ tag: Position, isParent: Bool) throws(TemplateSyntaxError) {
        skipWhitespace()
        let starred = !isParent && skip(["*"])
        if starred { skipWhitespace() }
        var start = position
        var name = try readToken(Self.partialNameCharacters, tag: tag)
        if isParent { try open(OpenSection(name: name, tag: tag, isScope: false)) }
        let isDynamic = starred || (isParent && name.hasPrefix("*"))
        if isParent, isDynamic {
            name.removeFirst()
            start = start.advanced(by: 1)
        }
        guard !name.isEmpty else { throw error("partial tag has no name", at: tag) }
        if isDynamic {
            record(Name(text: name, variable: name, start: start), kind: .variable)
        } else {
            scan.partials.append(TemplatePartial(name: name, location: location(of: start)))
        }
    }

    /// Opens `section` inside the ones already open, failing past `maxSectionNesting`.
    private mutating func open(_ section: OpenSection) throws(TemplateSyntaxError) {
        guard sections.count < Self.maxSectionNesting else {
            throw error("sections are nested too deeply: more than \(Self.maxSectionNesting) levels", at: section.tag)
        }
        sections.append(section)
    }

    /// Checks a closing tag against the innermost open section.
    private mutating func close(_ name: String, tag: Position) throws(TemplateSyntaxError) {
        let closing = spell("/" + name)
        guard let open = sections.popLast() else {
            throw error("'\(closing)' closes no open section", at: tag)
        }
        guard open.name == name else {
            throw error(
                "section '\(open.name)' is closed by '\(closing)'", at: tag,
                note: ("section '\(open.name)' opens here", open.tag))
        }
    }

    /// Reads a pragma, which may only restate that the template renders plain text.
    private mutating func checkPragma(_ tag: Position) throws(TemplateSyntaxError) {
        let start = position.offset
        guard skip(past: closeDelimiter) else { throw error("tag is not closed", at: tag) }
        let content = String(scalars: text[start..<position.offset - closeDelimiter.count])
        let words = content.split(separator: ":", omittingEmptySubsequences: false).map {
            $0.split(whereSeparator: \.isWhitespace)
        }
        guard words == [["CONTENT_TYPE"], ["TEXT"]] else {
            let allowed = spell("% CONTENT_TYPE: TEXT ")
            throw error("prompt templates always render plain text; the only pragma allowed is '\(allowed)'", at: tag)
        }
    }

    /// Reads the rest of `{{=<% %>=}}` and switches to the new delimiters.
    private mutating func setDelimiters(_ tag: Position) throws(TemplateSyntaxError) {
        let malformed = error("set-delimiter tag is malformed; write it as '\(spell("=<% %>="))'", at: tag)
        skipWhitespace()
        let open = read { !$0.properties.isWhitespace }
        skipWhitespace()
        let close = read { $0 != "=" && !$0.properties.isWhitespace }
        skipWhitespace()
        guard !open.isEmpty, !close.isEmpty, peek() == "=" else { throw malformed }
        advance()
        guard skip(closeDelimiter) else { throw malformed }
        openDelimiter = open
        closeDelimiter = close
    }

    // MARK: Names

    /// A tag's name: its full text (with any transforms) and the variable it looks up.
    private struct Name {
        var text: String
        /// The looked-up name without transforms: `x` in `upper(x)`.
        var variable: String
        var start: Position
    }

    /// Reads a name and the closing delimiter after it.
    private mutating func readName(_ tag: Position) throws(TemplateSyntaxError) -> Name {
        skipWhitespace()
        let start = position
        let text = try readToken(Self.nameCharacters, tag: tag)
        guard !text.isEmpty else { throw error("tag has no name", at: tag) }
        guard let (variable, offset) = Self.splitTransforms(text) else {
            throw error("malformed transform '\(text)'; write it as 'transform(name)'", at: start)
        }
        return Name(text: text, variable: variable, start: start.advanced(by: offset))
    }

    /// The name inside transforms (`x` in `f(g(x))`) and its scalar offset, or nil when the
    /// parentheses do not nest as swift-mustache expects.
    private static func splitTransforms(_ text: String) -> (String, Int)? {
        let parts = text.split(separator: "(", omittingEmptySubsequences: false)
        let depth = parts.count - 1
        guard let last = parts.last, !parts.dropLast().contains(where: { $0.contains(")") }) else { return nil }
        let name = last.prefix { $0 != ")" }
        guard last.dropFirst(name.count) == String(repeating: ")", count: depth) else { return nil }
        return (String(name), text.unicodeScalars.count - last.unicodeScalars.count)
    }

    /// Reads characters from `allowed`, then whitespace, then requires the closing delimiter.
    private mutating func readToken(
        _ allowed: Set<Unicode.Scalar>, tag: Position
    ) throws(TemplateSyntaxError) -> String {
        let token = String(scalars: read { allowed.contains($0) })
        skipWhitespace()
        if skip(closeDelimiter) { return token }
        if let next = peek(), !isUnclosed() {
            let expected = String(scalars: closeDelimiter)
            throw error("unexpected '\(next)' in tag; expected '\(expected)'", at: position)
        }
        throw error("tag is not closed", at: tag)
    }

    /// Whether no closing delimiter follows before the next opening delimiter or the end.
    private func isUnclosed() -> Bool {
        var offset = position.offset
        while offset < text.count {
            if hasPrefix(closeDelimiter, at: offset) { return false }
            if hasPrefix(openDelimiter, at: offset) { return true }
            offset += 1
        }
        return true
    }

    /// Records the variable `name` looks up, unless it is the implicit iterator `.`.
    private mutating func record(_ name: Name, kind: TemplateVariable.Kind) {
        let path = name.variable.split(separator: ".").map(String.init)
        guard !path.isEmpty else { return }
        let depth = sections.count(where: \.isScope)
        let variable = TemplateVariable(path: path, location: location(of: name.start), kind: kind, sectionDepth: depth)
        scan.variables.append(variable)
    }

    // MARK: Reading

    private func peek() -> Unicode.Scalar? {
        position.offset < text.count ? text[position.offset] : nil
    }

    private mutating func advance() {
        if text[position.offset] == "\n" {
            position = Position(offset: position.offset + 1, line: position.line + 1, column: 1)
        } else {
            position = position.advanced(by: 1)
        }
    }

    private func hasPrefix(_ delimiter: [Unicode.Scalar], at offset: Int) -> Bool {
        offset + delimiter.count <= text.count && text[offset..<offset + delimiter.count].elementsEqual(delimiter)
    }

    /// Consumes `delimiter` if it comes next.
    private mutating func skip(_ delimiter: [Unicode.Scalar]) -> Bool {
        guard hasPrefix(delimiter, at: position.offset) else { return false }
        for _ in delimiter { advance() }
        return true
    }

    /// Consumes everything up to and including `delimiter`; false if it never comes.
    private mutating func skip(past delimiter: [Unicode.Scalar]) -> Bool {
        while peek() != nil {
            if skip(delimiter) { return true }
            advance()
        }
        return false
    }

    /// Moves past text to the next opening delimiter and returns where that delimiter starts.
    private mutating func skipToTag() -> Position? {
        while peek() != nil {
            let start = position
            if skip(openDelimiter) { return start }
            advance()
        }
        return nil
    }

    private mutating func read(while accept: (Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
        let start = position.offset
        while let next = peek(), accept(next) { advance() }
        return Array(text[start..<position.offset])
    }

    private mutating func skipWhitespace() {
        _ = read { $0.properties.isWhitespace }
    }

    // MARK: Reporting

    /// `content` between the current delimiters, for messages: `spell("/a")` is `{{/a}}`.
    private func spell(_ content: String) -> String {
        String(scalars: openDelimiter) + content + String(scalars: closeDelimiter)
    }

    private func location(of position: Position) -> SourceLocation {
        origin.location(line: position.line, column: position.column)
    }

    private func error(
        _ message: String, at position: Position, note: (String, Position)? = nil
    ) -> TemplateSyntaxError {
        TemplateSyntaxError(
            message: message, location: location(of: position),
            notes: note.map { [Diagnostic.Note($0.0, at: location(of: $0.1))] } ?? [])
    }
}
