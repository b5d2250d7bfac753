/// Finds tabs used as indentation, which YAML forbids and which silently change a document's
/// shape when libyaml happens to accept them.
struct YAMLTabCheck {
    let source: SourceFile

    /// The error for a tab at `location`.
    static func diagnostic(at location: SourceLocation) -> Diagnostic {
        .error(.tabIndentation, "tabs are not allowed in indentation; use spaces", at: location)
    }

    /// The 1-based column of the first tab in `line`'s leading whitespace, if the line has
    /// content (not only blanks or a comment) after that whitespace.
    static func leadingTabColumn(_ line: String) -> Int? {
        let blanks = line.unicodeScalars.prefix { $0 == " " || $0 == "\t" }
        guard let tab = blanks.firstIndex(of: "\t") else { return nil }
        let rest = line.unicodeScalars[blanks.endIndex...]
        guard let first = rest.first, first != "#" else { return nil }
        return line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: tab) + 1
    }

    /// One error per line up to `lastLine` that is indented with a tab, leaving out the
    /// `skipping` ranges, whose leading whitespace is scalar content or flow-collection spacing.
    func diagnostics(throughLine lastLine: Int, skipping: [ClosedRange<Int>]) -> [Diagnostic] {
        let skipped = skipping.sorted { $0.lowerBound < $1.lowerBound }
        var next = 0, skippedThrough = 0
        var found: [Diagnostic] = []
        for number in stride(from: 1, through: lastLine, by: 1) {
            while next < skipped.count, skipped[next].lowerBound <= number {
                skippedThrough = max(skippedThrough, skipped[next].upperBound)
                next += 1
            }
            guard number > skippedThrough, let line = source.line(number),
                let column = Self.leadingTabColumn(line)
            else { continue }
            found.append(Self.diagnostic(at: SourceLocation(file: source.path, line: number, column: column)))
        }
        return found
    }
}
