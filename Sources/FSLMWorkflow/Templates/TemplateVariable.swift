/// A variable reference inside a template, e.g. `{{inputs.question}}` or `{{#stages.route.output}}`.
public struct TemplateVariable: Sendable, Hashable {
    /// How a template uses a variable.
    public enum Kind: Sendable, Hashable {
        /// Interpolated: `{{x}}`, `{{{x}}}`, `{{&x}}`, or the name of a dynamic partial `{{>*x}}`.
        case variable
        /// Opens a section: `{{#x}}`.
        case section
        /// Opens an inverted section: `{{^x}}`.
        case invertedSection
    }

    /// The dotted name split into components: `inputs.question` is `["inputs", "question"]`.
    public var path: [String]
    /// Where the name's first character is in the file.
    public var location: SourceLocation
    public var kind: Kind
    /// How many `{{#…}}` and `{{^…}}` sections enclose the reference; names inside a section
    /// may resolve against the section's item rather than the root context.
    public var sectionDepth: Int

    public init(path: [String], location: SourceLocation, kind: Kind, sectionDepth: Int) {
        self.path = path
        self.location = location
        self.kind = kind
        self.sectionDepth = sectionDepth
    }
}
