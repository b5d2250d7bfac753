import FSLMOpenAI
import Hummingbird

/// An error answer in OpenAI's form: a status and `{"error": {"message", "type", "code"}}`.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    /// OpenAI's error type, e.g. `invalid_request_error`.
    var type: String
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(ErrorResponse(message: message, type: type), status: status, headers: headers)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error")
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, message: message, type: "not_found_error")
    }

    static let unauthorized = APIError(
        status: .unauthorized, message: "a valid API key is required: send 'Authorization: Bearer KEY'",
        type: "authentication_error", headers: [.wwwAuthenticate: "Bearer"])

    static func tooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, message: "the request body is larger than \(limit) bytes", type: "invalid_request_error")
    }

    static let busy = APIError(
        status: .tooManyRequests, message: "the server is at its limit of requests in progress; retry later",
        type: "rate_limit_error", headers: [.retryAfter: "1"])

    static func server(_ message: String) -> APIError {
        APIError(status: .internalServerError, message: message, type: "server_error")
    }
}
