import API
import Glibc
import Testing

/// SPEC §7 / RFC 9112 §9.3.2: pipelined requests are answered, every one, in order, whether
/// the event loop answers a request itself (health, the OpenAPI document) or a worker does.
extension RobustnessTests {
    @Suite(.timeLimit(.minutes(1)))
    struct Pipelining {
        /// A route of the real application and how to recognise its answer.
        struct Probe: CustomStringConvertible {
            var path: String
            var status: Int
            var bodyMarker: String
            var description: String { path }
        }

        static let probes = [
            Probe(path: "/health", status: 200, bodyMarker: #""status":"ok""#),        // inline
            Probe(path: "/openapi.json", status: 200, bodyMarker: #""openapi":"#),    // inline
            Probe(path: "/ready", status: 200, bodyMarker: #""status":"ready""#),     // worker, database
            Probe(path: "/v1/teams", status: 401, bodyMarker: #""status":401"#),      // worker, no token
            Probe(path: "/nope", status: 404, bodyMarker: #""status":404"#),          // worker, no route
        ]

        static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n" }

        /// What is wrong with `response` as the answer to `probe`, or nil.
        static func mismatch(_ response: WireResponse?, _ probe: Probe) -> String? {
            guard let response else { return "no answer to \(probe.path)" }
            if response.status != probe.status || !response.text.contains(probe.bodyMarker) {
                return "\(probe.path) answered \(response.status): \(response.text.prefix(80))"
            }
            return nil
        }

        @Test func everyOrderedTripleOfInlineAndWorkerRoutes_inOneSend_getsThreeAnswersInOrder() throws {
            // 75 requests without a token come from one address: lift the failed-auth limit.
            let server = try InProcessServer { $0.authFailedPerMinute = 1000 }
            defer { server.stop() }
            var failures: [String] = []
            var triples = 0
            for first in Self.probes {
                for second in Self.probes {
                    for third in Self.probes {
                        triples += 1
                        let triple = [first, second, third]
                        let client = try WireClient(port: server.port, receiveTimeoutSeconds: 3)
                        #expect(client.send(triple.map { Self.get($0.path) }.joined()))
                        for (position, probe) in triple.enumerated() {
                            if let problem = Self.mismatch(client.readResponse(), probe) {
                                failures.append("\(triple) answer \(position + 1): \(problem)")
                                break
                            }
                        }
                    }
                }
            }
            #expect(triples == 125)
            #expect(failures.isEmpty, "\(failures.count) of 125 triples failed: \(failures.prefix(5))")
        }

        @Test func fiftyPipelinedHealthChecks_getFiftyAnswers() throws {
            let server = try InProcessServer()
            defer { server.stop() }
            let client = try WireClient(port: server.port, receiveTimeoutSeconds: 3)
            #expect(client.send(String(repeating: Self.get("/health"), count: 50)))
            var answered = 0
            while answered < 50, Self.mismatch(client.readResponse(), Self.probes[0]) == nil { answered += 1 }
            #expect(answered == 50)
            // The connection is still usable afterwards.
            #expect(Self.mismatch(client.request("GET", "/ready"), Self.probes[2]) == nil)
        }

        @Test func requestsInBackToBackSends_areAllAnswered() throws {
            let server = try InProcessServer()
            defer { server.stop() }
            let client = try WireClient(port: server.port, receiveTimeoutSeconds: 3)
            // Two whole requests in two sends without a pause, then one request split mid-line.
            let split = Self.get("/ready")
            let cut = split.index(split.startIndex, offsetBy: 20)
            for part in [Self.get("/health"), Self.get("/openapi.json"), String(split[..<cut]), String(split[cut...])] {
                #expect(client.send(part))
            }
            #expect(Self.mismatch(client.readResponse(), Self.probes[0]) == nil)
            #expect(Self.mismatch(client.readResponse(), Self.probes[1]) == nil)
            #expect(Self.mismatch(client.readResponse(), Self.probes[2]) == nil)
        }
    }
}
