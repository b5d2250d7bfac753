import Mustache

/// A template syntax problem, ready to become a `.templateSyntax` diagnostic.
struct TemplateSyntaxError: Error {
    var message: String
    var location: SourceLocation
    var notes: [Diagnostic.Note] = []

    var diagnostic: Diagnostic { .error(.templateSyntax, message, at: location, notes: notes) }
}

extension TemplateSyntaxError {
    /// Describes an error thrown by swift-mustache while parsing `source` behind a prefix of
    /// `prefixLines` whole lines (which the reported position must not count).
    init(parserError error: any Error, source: String, prefixLines: Int, origin: ScalarOrigin) {
        guard let error = error as? MustacheTemplate.ParserError else {
            self.init(message: "template syntax error", location: origin.start)
            return
        }
        let line = max(1, error.context.lineNumber - prefixLines)
        let column = Self.scalarColumn(error.context.columnNumber, line: line, of: source)
        self.init(message: Self.message(for: error.error), location: origin.location(line: line, column: column))
    }

    /// swift-mustache counts columns in characters; file locations count Unicode scalars.
    private static func scalarColumn(_ characterColumn: Int, line: Int, of source: String) -> Int {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return characterColumn }
        return lines[line - 1].prefix(characterColumn - 1).unicodeScalars.count + 1
    }

    /// The problems swift-mustache finds that `TemplateScanner` leaves to it.
    private static func message(for error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .illegalTokenInsideInheritSection: "only '{{$block}}' overrides may appear inside a '{{<parent}}' section"
        case .transformAppliedToInheritanceSection: "a '{{$block}}' name cannot have a transform"
        default: "invalid template syntax"
        }
    }
}
