/// A partial a template includes, e.g. `{{> preamble}}` or `{{< layout}}…{{/layout}}`.
public struct TemplatePartial: Sendable, Hashable {
    /// The partial's name as written.
    public var name: String
    /// Where the name's first character is in the file.
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}
