import FSLMOpenAI

/// The prompt a chat becomes for fslm's models, which have no chat template: a single user
/// message is the prompt as it is; otherwise each message is a `Role: content` line and the
/// prompt ends with `Assistant:`.
enum ChatPrompt {
    static let roles = ["system": "System", "user": "User", "assistant": "Assistant"]

    static func render(_ messages: [ChatMessage]) throws -> String {
        guard !messages.isEmpty else { throw APIError.badRequest("'messages' is empty") }
        for (i, message) in messages.enumerated() where roles[message.role] == nil {
            throw APIError.badRequest("'messages.\(i).role' must be system, user or assistant, got '\(message.role)'")
        }
        if messages.count == 1, messages[0].role == "user" { return messages[0].content }
        return messages.map { "\(roles[$0.role]!): \($0.content)" }.joined(separator: "\n") + "\nAssistant:"
    }
}
