/// A path in a `when` expression: `inputs.NAME`, `stages.ID.output` or `stages.ID.status`.
///
/// The parser only builds paths of these three forms.
public struct ExpressionPath: Sendable, Hashable {
    /// What a path refers to.
    public enum Target: Sendable, Hashable {
        /// `inputs.NAME`
        case input(name: String)
        /// `stages.ID.output`
        case stageOutput(stage: String)
        /// `stages.ID.status`
        case stageStatus(stage: String)
    }

    /// The dot-separated components, e.g. `["stages", "route", "output"]`.
    public var components: [String]
    /// Where the path's first character is.
    public var location: SourceLocation

    public init(components: [String], location: SourceLocation) {
        self.components = components
        self.location = location
    }

    /// The path as written, e.g. `stages.route.output`.
    public var text: String { components.joined(separator: ".") }

    /// What the path refers to, or nil if it is not one of the three valid forms.
    public var target: Target? {
        switch (components.first, components.count, components.last) {
        case ("inputs", 2, let name?): .input(name: name)
        case ("stages", 3, "output"): .stageOutput(stage: components[1])
        case ("stages", 3, "status"): .stageStatus(stage: components[1])
        default: nil
        }
    }

    /// Where component `index` starts (a path never spans lines, so this is exact).
    public func location(ofComponent index: Int) -> SourceLocation {
        let offset = components.prefix(index).reduce(0) { $0 + $1.unicodeScalars.count + 1 }
        return location.advanced(byColumns: offset)
    }
}
