/// A value together with where the workflow file wrote it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A piece of text from a workflow file that is parsed later (a template, a `when`
/// condition, a regex), with the origin that maps positions inside it back to the file.
public struct TextSource: Sendable, Hashable {
    public var text: String
    public var origin: ScalarOrigin
    /// Where the scalar node starts (its quote or block indicator, if any).
    public var location: SourceLocation

    public init(text: String, origin: ScalarOrigin, location: SourceLocation) {
        self.text = text
        self.origin = origin
        self.location = location
    }
}
