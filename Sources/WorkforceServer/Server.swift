import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The workbench on HTTP (Hummingbird): the page at `/` and the JSON API under `/api/`
/// (docs/workbench.md). A bad request is answered with its `API.Problem` and the server goes on.
package enum Server {
    /// Request bodies larger than this are refused (413): the largest real one, a save with
    /// every lever set, is under 2 kB.
    package static let requestBytes = 64 * 1024

    /// Serves `workbench` on `host:port` (port 0: any free port) until SIGINT or SIGTERM, then
    /// cancels the runs in flight (each stops at its next chunk), stops accepting, lets the
    /// responses in flight end and returns. `listening` receives the
    /// port once the server accepts connections.
    package static func serve(_ workbench: Workbench, host: String, port: Int, listening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "workforce-serve")
        logger.logLevel = .error
        let app = Application(
            router: router(workbench),
            configuration: .init(address: .hostname(host, port: port), serverName: "workforce"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? port) },
            logger: logger)
        // Shut down in reverse order: the runs are stopped first, so the server's wait for the
        // responses in flight is short.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app), .init(service: StopRuns(workbench: workbench), successTerminationBehavior: .ignore)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Waits for the graceful shutdown, then cancels the workbench's runs.
    struct StopRuns: Service {
        let workbench: Workbench
        func run() async throws {
            try? await gracefulShutdown()
            workbench.stopRuns()
        }
    }

    static func router(_ workbench: Workbench) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: WorkbenchPage.html)))
        }
        router.get("/api/scenarios") { _, _ in
            respond { () throws(WorkbenchError) in try workbench.scenarios() }
        }
        router.get("/api/levers") { request, _ in
            respond { () throws(WorkbenchError) in
                try workbench.levers(try query(request, "scenario"))
            }
        }
        router.post("/api/expected") { request, _ in
            await respondAsync { () async throws(WorkbenchError) in
                try await workbench.expected(try await body(request, API.Question.self))
            }
        }
        router.post("/api/solve") { request, _ in
            await respondAsync { () async throws(WorkbenchError) in
                try await workbench.solve(try await body(request, API.Solve.self))
            }
        }
        router.post("/api/save") { request, _ in
            await respondAsync(status: .created) { () async throws(WorkbenchError) in
                try workbench.save(try await body(request, API.Save.self))
            }
        }
        router.post("/api/report") { request, _ in
            do throws(WorkbenchError) {
                let file = (try? query(request, "file")) ?? "summary.html"
                let question = try await body(request, API.Question.self)
                let html = try await workbench.report(question, file: file)
                let stem = question.scenario.split(separator: ".").first.map(String.init) ?? "scenario"
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/html; charset=utf-8", .contentDisposition: "attachment; filename=\"\(stem)-\(file)\""],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
            } catch {
                return problem(error)
            }
        }
        router.post("/api/run") { request, _ in
            let run: Workbench.Run
            do throws(WorkbenchError) {
                run = try await workbench.start(try await body(request, API.Question.self))
            } catch {
                return problem(error)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { (writer: inout any ResponseBodyWriter) async throws in
                    var problem: WorkbenchError?
                    do throws(WorkbenchError) {
                        try await run.stream { (answer: API.Answer) async throws in
                            try await writer.write(event(answer.done ? "done" : "batch", answer))
                        }
                    } catch {
                        if !error.isCancellation { problem = error }
                    }
                    if let problem { try await writer.write(event("problem", problem.problem)) }
                    try await writer.finish(nil)
                })
        }
        return router
    }

    /// One Server-Sent Event: `event: NAME` and its JSON on one `data:` line.
    static func event<T: Encodable>(_ name: String, _ value: T) -> ByteBuffer {
        let json = (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n")
    }

    static func query(_ request: Request, _ name: String) throws(WorkbenchError) -> String {
        guard let value = request.uri.queryParameters.get(name) else {
            throw WorkbenchError(.badRequest, field: name, "the query has no '\(name)'", expected: "?\(name)=…")
        }
        return value
    }

    /// The request's JSON body, at most `requestBytes`, decoded; a problem names the field.
    static func body<T: Decodable>(_ request: Request, _ type: T.Type) async throws(WorkbenchError) -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: requestBytes)
        } catch {
            throw WorkbenchError(.tooLarge, field: "", "the request body is over \(requestBytes / 1024) KiB", expected: "a JSON body under \(requestBytes / 1024) KiB")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, context) {
            throw WorkbenchError(.badRequest, field: path(context.codingPath + [key]), "missing", expected: "a value for it (docs/workbench.md)")
        } catch let DecodingError.typeMismatch(type, context) {
            throw WorkbenchError(.badRequest, field: path(context.codingPath), "not a \(type)", expected: "a value of that type (docs/workbench.md)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw WorkbenchError(.badRequest, field: path(context.codingPath), "null", expected: "a \(type)")
        } catch {
            throw WorkbenchError(.badRequest, field: "", "the body is not valid JSON", expected: "a JSON object (docs/workbench.md)")
        }
    }

    /// `settings[0].value` from a decoding path.
    static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { text, key in
            if let i = key.intValue { return text + "[\(i)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func problem(_ error: WorkbenchError) -> Response {
        json(error.problem, status: HTTPResponse.Status(code: error.status.rawValue))
    }

    static func respond<T: Encodable>(status: HTTPResponse.Status = .ok, _ work: () throws(WorkbenchError) -> T) -> Response {
        do {
            return json(try work(), status: status)
        } catch {
            return problem(error)
        }
    }

    static func respondAsync<T: Encodable>(status: HTTPResponse.Status = .ok, _ work: () async throws(WorkbenchError) -> T) async -> Response {
        do {
            return json(try await work(), status: status)
        } catch {
            return problem(error)
        }
    }
}
