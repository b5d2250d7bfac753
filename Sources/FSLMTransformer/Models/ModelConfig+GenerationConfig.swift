public import Foundation

extension ModelConfig {
    /// Takes `bos_token_id` and `eos_token_id` from a `generation_config.json` when it sets
    /// them: generation in transformers stops on the generation config's end tokens, which
    /// can differ from `config.json`'s (chat models list several). Absent or null keys leave
    /// the config's values.
    public mutating func applyGenerationConfig(_ data: Data, fileName: String = "generation_config.json") throws {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ModelConfigError(file: fileName, "not valid JSON (\(error))")
        }
        guard let object = json.dictionary else { throw ModelConfigError(file: fileName, "the file is \(json.brief), not a JSON object") }
        let config = ConfigReader(file: fileName, object: object)
        if let bos = try config.tokenID("bos_token_id") { bosTokenID = bos }
        if let eos = try config.tokenIDs("eos_token_id") { eosTokenIDs = eos }
    }
}
