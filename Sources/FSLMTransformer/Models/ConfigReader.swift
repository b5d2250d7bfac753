/// Typed access to the keys of a JSON object from a config file, with errors naming the file
/// and the key. An absent key and a `null` one read alike (transformers writes `null` for
/// unset options).
struct ConfigReader {
    let file: String
    let object: [String: JSONValue]
    /// Dotted path of this object inside the file (`rope_scaling.`), empty at the top.
    let prefix: String

    init(file: String, object: [String: JSONValue], prefix: String = "") {
        self.file = file
        self.object = object
        self.prefix = prefix
    }

    /// The key's full dotted name.
    func path(_ key: String) -> String { prefix + key }

    func error(_ key: String, _ problem: String) -> ModelConfigError {
        ModelConfigError(file: file, key: path(key), problem)
    }

    /// The key's value, nil when absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    private func mistyped(_ key: String, _ value: JSONValue, _ expected: String) -> ModelConfigError {
        error(key, "'\(path(key))' is \(value.brief), expected \(expected)")
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.intValue else { throw mistyped(key, value, "an integer") }
        return int
    }

    /// A positive integer the config must have.
    func requiredPositiveInt(_ key: String) throws -> Int {
        guard let int = try int(key) else { throw error(key, "'\(path(key))' is missing") }
        return try positive(key, int)
    }

    /// `int` when present (checked positive), else `fallback`.
    func positiveInt(_ key: String, default fallback: Int) throws -> Int {
        guard let int = try int(key) else { return fallback }
        return try positive(key, int)
    }

    private func positive(_ key: String, _ int: Int) throws -> Int {
        guard int > 0 else { throw error(key, "'\(path(key))' is \(int), expected a positive integer") }
        return int
    }

    func double(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let double = value.doubleValue else { throw mistyped(key, value, "a number") }
        return double
    }

    /// A number that must be positive when present.
    func positiveDouble(_ key: String) throws -> Double? {
        guard let double = try double(key) else { return nil }
        guard double > 0, double.isFinite else { throw error(key, "'\(path(key))' is \(double), expected a positive number") }
        return double
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = value(key) else { return fallback }
        guard case .bool(let bool) = value else { throw mistyped(key, value, "true or false") }
        return bool
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw mistyped(key, value, "a string") }
        return string
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mistyped(key, value, "a list of strings") }
        return try items.map { item in
            guard case .string(let string) = item else { throw mistyped(key, value, "a list of strings") }
            return string
        }
    }

    /// Token ids written as one integer or a list of them (`eos_token_id`).
    func tokenIDs(_ key: String) throws -> [Int]? {
        guard let value = value(key) else { return nil }
        if let id = value.intValue, id >= 0 { return [id] }
        guard case .array(let items) = value else { throw mistyped(key, value, "a token id or a list of them") }
        return try items.map { item in
            guard let id = item.intValue, id >= 0 else { throw mistyped(key, value, "a token id or a list of them") }
            return id
        }
    }

    /// One token id (`bos_token_id`); a list of one is taken too.
    func tokenID(_ key: String) throws -> Int? {
        guard let ids = try tokenIDs(key) else { return nil }
        guard ids.count == 1 else { throw error(key, "'\(path(key))' is \(ids), expected one token id") }
        return ids[0]
    }

    /// The nested object under `key`, nil when absent or null.
    func object(_ key: String) throws -> ConfigReader? {
        guard let value = value(key) else { return nil }
        guard let nested = value.dictionary else { throw mistyped(key, value, "an object") }
        return ConfigReader(file: file, object: nested, prefix: path(key) + ".")
    }
}
