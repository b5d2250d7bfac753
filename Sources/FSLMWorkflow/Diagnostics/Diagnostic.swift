/// One problem found in a workflow, a plugin manifest or their files, in compiler style.
/// An `Error` so it can be the failure of a `Result`.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
    /// How bad a diagnostic is; only errors make `validate` fail.
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, note

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    }

    /// An extra remark attached to a diagnostic, optionally at its own location.
    public struct Note: Sendable, Hashable, Codable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    /// A suggested replacement text for the span starting at the diagnostic's location.
    public struct FixIt: Sendable, Hashable, Codable {
        public var replacement: String

        public init(replacement: String) { self.replacement = replacement }
    }

    public var severity: Severity
    /// Stable identifier, e.g. `unknown-stage`; tools match on it, people read `message`.
    public var id: DiagnosticID
    public var message: String
    /// Where the problem is; nil only for problems with no file (e.g. an unreadable path given on the command line).
    public var location: SourceLocation?
    public var notes: [Note]
    public var fixIt: FixIt?

    public init(
        _ severity: Severity, _ id: DiagnosticID, _ message: String, at location: SourceLocation?,
        notes: [Note] = [], fixIt: FixIt? = nil
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.location = location
        self.notes = notes
        self.fixIt = fixIt
    }

    public static func error(
        _ id: DiagnosticID, _ message: String, at location: SourceLocation?, notes: [Note] = [], fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.error, id, message, at: location, notes: notes, fixIt: fixIt)
    }

    public static func warning(
        _ id: DiagnosticID, _ message: String, at location: SourceLocation?, notes: [Note] = [], fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, id, message, at: location, notes: notes, fixIt: fixIt)
    }
}

extension Array where Element == Diagnostic {
    /// True when any element is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line, column, keeping the order of equal positions (stable).
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            switch (la, lb) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x.file != y.file { return x.file < y.file }
                if x.line != y.line { return x.line < y.line }
                if x.column != y.column { return x.column < y.column }
                return a.offset < b.offset
            }
        }.map(\.element)
    }
}

/// The error thrown when loading stops at diagnostics (at least one is an error).
public struct DiagnosticsError: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
