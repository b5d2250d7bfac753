/// Finds tabs used as indentation, which YAML forbids and which silently change a document's
/// shape when libyaml happens to accept them.
struct YAMLTabCheck {
    let source: SourceFile

    /// The tab diagnostic to give instead of libyaml's error at `mark`, when a tab is the likely
    /// cause: the error points at a tab, or its line has one in its leading whitespace.
    func diagnostic(forFailureAt mark: YAMLMark) -> Diagnostic? {
        guard let line = source.line(mark.line) else { return nil }
        let scalars = Array(line.unicodeScalars)
        if scalars.indices.contains(mark.column - 1), scalars[mark.column - 1] == "\t" {
            return diagnostic(line: mark.line, column: mark.column)
        }
        return Self.leadingTabColumn(scalars, contentRequired: false).map { diagnostic(line: mark.line, column: $0) }
    }

    /// One error per line up to `lastLine` that is indented with a tab, leaving out the
    /// `skipping` ranges, whose leading whitespace is scalar content or flow-collection spacing.
    func diagnostics(throughLine lastLine: Int, skipping: [ClosedRange<Int>]) -> [Diagnostic] {
        guard source.text.utf8.contains(UInt8(ascii: "\t")) else { return [] }
        let skipped = skipping.sorted { $0.lowerBound < $1.lowerBound }
        var next = 0, skippedThrough = 0
        var found: [Diagnostic] = []
        for number in stride(from: 1, through: lastLine, by: 1) {
            while next < skipped.count, skipped[next].lowerBound <= number {
                skippedThrough = max(skippedThrough, skipped[next].upperBound)
                next += 1
            }
            guard number > skippedThrough, let line = source.line(number),
                let column = Self.leadingTabColumn(Array(line.unicodeScalars), contentRequired: true)
            else { continue }
            found.append(diagnostic(line: number, column: column))
        }
        return found
    }

    /// The 1-based column of the first tab in a line's leading whitespace; with
    /// `contentRequired`, only if something other than a comment follows that whitespace.
    private static func leadingTabColumn(_ line: [Unicode.Scalar], contentRequired: Bool) -> Int? {
        let blanks = line.prefix { $0 == " " || $0 == "\t" }
        guard let tab = blanks.firstIndex(of: "\t") else { return nil }
        if contentRequired, blanks.endIndex == line.endIndex || line[blanks.endIndex] == "#" { return nil }
        return tab + 1
    }

    private func diagnostic(line: Int, column: Int) -> Diagnostic {
        .error(.tabIndentation, "tabs are not allowed in indentation; use spaces",
               at: SourceLocation(file: source.path, line: line, column: column))
    }
}
