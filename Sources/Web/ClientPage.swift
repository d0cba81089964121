import Continuity
import HTML
import HTTP
import Store

extension WebPages {
    func clientPage(_ c: PageContext, form: ContactForm?) throws -> HTTPResponse {
        throw PageError.notFound
    }

    func logContact(_ c: PageContext) throws -> HTTPResponse {
        throw PageError.notFound
    }

    func professionalPage(_ c: PageContext) throws -> HTTPResponse {
        throw PageError.notFound
    }
}

struct ContactForm {}
