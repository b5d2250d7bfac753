/// What the checks need to know about plugins: which exist, their templates and validators.
/// The plugins module provides the real catalog; `EmptyPluginCatalog` knows none.
public protocol PluginCatalog: Sendable {
    /// True when a plugin of this name was found.
    func hasPlugin(_ name: String) -> Bool
    /// The compiled template `plugin.template`, if it exists (with its plugin's partials bound).
    func template(_ qualifiedName: String) -> PromptTemplate?
    /// True when `plugin.validator` exists.
    func hasValidator(_ qualifiedName: String) -> Bool
    /// Every `plugin.template` name declared, even one that does not compile; for suggestions.
    var templateNames: [String] { get }
    /// Every `plugin.validator` name, for suggestions.
    var validatorNames: [String] { get }
    /// Problems in the named plugin's manifest and templates; empty when it is fine or unknown.
    func diagnostics(forPlugin name: String) -> [Diagnostic]
    /// Where plugins were looked for, in order, for "not found" messages.
    var searchPath: [String] { get }
    /// The plugins' files, so diagnostics can quote them.
    var sources: SourceFiles { get }
}

/// A catalog with no plugins.
public struct EmptyPluginCatalog: PluginCatalog {
    public init() {}
    public func hasPlugin(_ name: String) -> Bool { false }
    public func template(_ qualifiedName: String) -> PromptTemplate? { nil }
    public func hasValidator(_ qualifiedName: String) -> Bool { false }
    public var templateNames: [String] { [] }
    public var validatorNames: [String] { [] }
    public func diagnostics(forPlugin name: String) -> [Diagnostic] { [] }
    public var searchPath: [String] { [] }
    public var sources: SourceFiles { SourceFiles() }
}
