// http-echo: a tiny server over the HTTP module for conformance runs
// (`python3 /work/shared/conformance/llhttp_replay.py 127.0.0.1 PORT`).
// Usage: http-echo [PORT] [TIMEOUT_SECONDS]. Prints the bound port, answers every request
// 200 with "METHOD PATH" and the body, stops on SIGTERM/SIGINT.
import Glibc
import HTTP
import Logging

let arguments = CommandLine.arguments
var configuration = HTTPServerConfiguration()
configuration.port = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
let timeout = arguments.count > 2 ? Double(arguments[2]) ?? 1 : 1
configuration.headerTimeoutSeconds = timeout
configuration.bodyTimeoutSeconds = timeout
configuration.workerThreads = 2

var logger = Logger(label: "http-echo")
logger.logLevel = .debug
do {
    let server = try HTTPServer(configuration: configuration, logger: logger) { request in
        var body = Array("\(request.method) \(request.path)\n".utf8)
        body.append(contentsOf: request.body)
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: body)
    }
    server.handleTerminationSignals()
    print("port \(server.port)")
    fflush(nil)
    try server.run()
} catch {
    print("http-echo: \(error)")
    exit(1)
}
