/// A request the workbench refuses or could not answer, as the page shows it:
/// `field: what was wrong; what was expected` with its HTTP status. The server keeps running.
package struct WorkbenchError: Error, Sendable, CustomStringConvertible {
    package enum Status: Int, Sendable {
        case badRequest = 400, notFound = 404, methodNotAllowed = 405, conflict = 409, tooLarge = 413, tooManyRequests = 429
        case failed = 500, unavailable = 503
    }

    package var status: Status
    /// The request field that was wrong (`settings[1].value`, `name`), or "" for the request as a whole.
    package var field: String
    package var message: String

    package init(_ status: Status, field: String, _ what: String, expected: String) {
        self.status = status
        self.field = field
        self.message = "\(what); expected \(expected)"
    }

    /// `settings[1].value: 1.7 is above the lever's range; expected 0 to 1`.
    package var description: String { field.isEmpty ? message : "\(field): \(message)" }

    var problem: API.Problem { API.Problem(field: field, error: description) }

    /// Whether this is `cancelled`.
    var isCancellation: Bool { status == Self.cancelled.status && message == Self.cancelled.message }

    /// The run was cancelled (a newer question on the same session, or the client went away).
    static let cancelled = WorkbenchError(.unavailable, field: "", "the run was cancelled", expected: "none: a newer question on the same session replaced it")
}
