// libFuzzer target: arbitrary bytes as a stream of HTTP requests (split at the first
// byte's value) and as responses, through the parser and body readers, with small limits.
#include <srs_protocol_http_parser.hpp>

#include <algorithm>
#include <cstring>
#include <string>

namespace {

// Serves the input in pieces of a fixed size; then reports the peer closed.
class FuzzReader : public ISrsReader {
public:
    FuzzReader(const uint8_t* data, size_t size, size_t piece) : data_(data), size_(size), piece_(piece) {}
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        if (pos_ >= size_) {
            return srs_error_new(ERROR_SOCKET_READ, "eof");
        }
        size_t n = std::min(std::min(size, piece_), size_ - pos_);
        memcpy(buf, data_ + pos_, n);
        pos_ += n;
        *nread = (ssize_t)n;
        return srs_success;
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t piece_;
    size_t pos_ = 0;
};

void run(SrsHttpParser::Type type, const uint8_t* data, size_t size, size_t piece) {
    FuzzReader reader(data, size, piece);
    SrsHttpParser p(type);
    p.set_header_limit(4096);
    p.set_body_limit(65536);
    for (int i = 0; i < 64; i++) {
        std::unique_ptr<SrsHttpMessage> msg;
        srs_error_t err = p.parse_message(&reader, &msg);
        if (err) {
            return;
        }
        // Half the messages are read, half left for the parser to drain.
        if (i % 2 == 0) {
            std::string body;
            err = msg->body_read_all(&body);
            if (err) {
                return;
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    size_t piece = 1 + data[0] % 64;
    run(SrsHttpParser::Request, data + 1, size - 1, piece);
    run(SrsHttpParser::Response, data + 1, size - 1, piece);
    return 0;
}
