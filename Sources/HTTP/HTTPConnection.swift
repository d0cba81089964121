/// One client connection, owned by the event-loop thread only.
final class HTTPConnection {
    /// Explicit per-connection state (darkhttpd style); one handler per state in the loop.
    enum State {
        /// Waiting for (the rest of) a request head; idle when `input` is empty.
        case readingHead
        /// Head parsed; collecting a Content-Length or chunked body.
        case readingBody
        /// `Expect: 100-continue`: a worker asks the application whether it wants the body
        /// (`HTTPServer.continueCheck`); we do not read meanwhile.
        case waitingForContinue
        /// The request is with a worker; we do not read meanwhile (ordering + backpressure).
        case waitingForHandler
        /// A response is (partly) in `output`; we do not read until it is written.
        case writing
        /// Our side is shut down; draining the client's bytes briefly so the last response
        /// is not destroyed by a reset, then closing.
        case closing
    }

    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    var state = State.readingHead
    /// Bytes read but not yet consumed by the parser (pipelined requests wait here).
    var input: [UInt8] = []
    /// How far `input` has been searched for LF (re-parse a head only when a line completes).
    var scannedForLineEnd = 0
    /// The current head has a complete first line (until then every read is parsed).
    var sawLineEnd = false
    /// True while `processInput` runs for this connection: an answer given inline during it
    /// must not start another `processInput` (2,000 pipelined requests would recurse 2,000 deep);
    /// the running loop goes on to the next request instead.
    var processing = false
    /// Out of steps for this loop turn with input left (`HTTPServer.yieldTurn`); no reads until resumed.
    var yielded = false
    var head: HTTPParser.RequestHead?
    var body: [UInt8] = []
    var remainingBodyBytes = 0
    var chunkedDecoder: ChunkedDecoder?
    /// The response head still to send, then its body (shared with the handler's answer).
    var output: [UInt8] = []
    var outputBody: [UInt8] = []
    /// Offset into head and body together.
    var outputOffset = 0
    var closeAfterWrite = false
    var peerClosed = false
    /// A request has started arriving (its first byte); the header timeout runs from here.
    var requestStarted = false
    /// Monotonic time at which the current state times out.
    var deadline: Double
    /// Bytes discarded in `closing`, and when closing ends whatever the client does.
    var discardedBytes = 0
    var lingerEnd = 0.0
    /// The epoll interest currently registered.
    var interest: UInt32 = 0
    var isHead = false

    init(id: UInt64, fd: Int32, remoteAddress: String, deadline: Double) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.deadline = deadline
    }
}
