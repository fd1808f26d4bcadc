#include <srs_protocol_conf.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace {

// Deeper includes are surely a mistake, and the bound keeps a bad config from exhausting the stack.
const size_t kMaxIncludeDepth = 32;
// Deeper blocks are not a config anyone writes; the bound protects the recursive parser.
const int kMaxBlockDepth = 64;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_var_name(const std::string& s) {
    if (s.empty() || !(isalpha((unsigned char)s[0]) || s[0] == '_')) {
        return false;
    }
    for (char c : s) {
        if (!(isalnum((unsigned char)c) || c == '_')) {
            return false;
        }
    }
    return true;
}

std::string dir_of(const std::string& path) {
    size_t p = path.rfind('/');
    if (p == std::string::npos) {
        return "";
    }
    if (p == 0) {
        return "/";
    }
    return path.substr(0, p);
}

std::string join_path(const std::string& dir, const std::string& file) {
    if (file.empty() || file[0] == '/' || dir.empty()) {
        return file;
    }
    if (dir[dir.size() - 1] == '/') {
        return dir + file;
    }
    return dir + "/" + file;
}

bool has_wildcard(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

// An argument as config text: bare when it is a plain word, quoted otherwise.
std::string quote_arg(const std::string& a) {
    bool plain = !a.empty();
    for (char c : a) {
        if (is_space(c) || c == ';' || c == '{' || c == '}' || c == '"' || c == '\'' || c == '\\' || c == '$') {
            plain = false;
            break;
        }
    }
    // A leading UTF-8 BOM would be taken for the file's own BOM when the dump is parsed again.
    if (plain && a[0] != '#' && a.compare(0, 3, "\xEF\xBB\xBF") != 0) {
        return a;
    }
    // Single quotes keep `${` literal on the way back in.
    char q = a.find('$') != std::string::npos ? '\'' : '"';
    std::string r(1, q);
    for (char c : a) {
        if (c == q || c == '\\') {
            r += '\\';
        }
        r += c;
    }
    r += q;
    return r;
}

}  // namespace

SrsConfDirective::SrsConfDirective(std::string name, std::vector<std::string> args, std::string file, int line)
    : name_(std::move(name)), args_(std::move(args)), file_(std::move(file)), line_(line), block_(false) {}

SrsConfDirective::~SrsConfDirective() = default;

const std::string& SrsConfDirective::arg(size_t index) const {
    static const std::string empty;
    return index < args_.size() ? args_[index] : empty;
}

std::string SrsConfDirective::where() const {
    return srs_fmt("%s:%d", file_.c_str(), line_);
}

std::vector<const SrsConfDirective*> SrsConfDirective::children() const {
    std::vector<const SrsConfDirective*> r;
    r.reserve(children_.size());
    for (const auto& c : children_) {
        r.push_back(c.get());
    }
    return r;
}

const SrsConfDirective* SrsConfDirective::get(const std::string& name) const {
    for (const auto& c : children_) {
        if (c->name_ == name) {
            return c.get();
        }
    }
    return nullptr;
}

const SrsConfDirective* SrsConfDirective::get(const std::string& name, const std::string& arg0) const {
    for (const auto& c : children_) {
        if (c->name_ == name && c->arg0() == arg0) {
            return c.get();
        }
    }
    return nullptr;
}

std::vector<const SrsConfDirective*> SrsConfDirective::get_all(const std::string& name) const {
    std::vector<const SrsConfDirective*> r;
    for (const auto& c : children_) {
        if (c->name_ == name) {
            r.push_back(c.get());
        }
    }
    return r;
}

bool SrsConfDirective::equals(const SrsConfDirective& other) const {
    if (name_ != other.name_ || args_ != other.args_ || block_ != other.block_ ||
        children_.size() != other.children_.size()) {
        return false;
    }
    for (size_t i = 0; i < children_.size(); i++) {
        if (!children_[i]->equals(*other.children_[i])) {
            return false;
        }
    }
    return true;
}

std::unique_ptr<SrsConfDirective> SrsConfDirective::copy() const {
    auto cp = std::make_unique<SrsConfDirective>(name_, args_, file_, line_);
    cp->block_ = block_;
    for (const auto& c : children_) {
        cp->children_.push_back(c->copy());
    }
    return cp;
}

std::string SrsConfDirective::dumps(int indent) const {
    std::string r;
    int child_indent = indent;
    if (!name_.empty()) {
        r.append(indent * 4, ' ');
        r += quote_arg(name_);
        for (const auto& a : args_) {
            r += " ";
            r += quote_arg(a);
        }
        if (!block_) {
            r += ";\n";
            return r;
        }
        r += " {\n";
        child_indent = indent + 1;
    }
    for (const auto& c : children_) {
        r += c->dumps(child_indent);
    }
    if (!name_.empty()) {
        r.append(indent * 4, ' ');
        r += "}\n";
    }
    return r;
}

void SrsConfDirective::set_location(const std::string& file, int line) {
    file_ = file;
    line_ = line;
}

SrsConfDirective* SrsConfDirective::mutable_get(const std::string& name) {
    for (auto& c : children_) {
        if (c->name_ == name) {
            return c.get();
        }
    }
    return nullptr;
}

SrsConfDirective* SrsConfDirective::add(std::unique_ptr<SrsConfDirective> child) {
    children_.push_back(std::move(child));
    return children_.back().get();
}

SrsConfDirective* SrsConfDirective::add(const std::string& name, std::vector<std::string> args) {
    return add(std::make_unique<SrsConfDirective>(name, std::move(args), file_, line_));
}

SrsConfDirective* SrsConfDirective::get_or_create_block(const std::string& name) {
    SrsConfDirective* d = mutable_get(name);
    if (!d) {
        d = add(name);
        d->block_ = true;
    }
    return d;
}

std::unique_ptr<SrsConfDirective> SrsConfDirective::remove(size_t index) {
    std::unique_ptr<SrsConfDirective> d = std::move(children_[index]);
    children_.erase(children_.begin() + index);
    return d;
}

// Splits one file's text into tokens: words (with ${VAR} substituted), ';', '{', '}' and EOF.
class SrsConfParser::Lexer {
public:
    enum Kind { Word, Semicolon, BlockStart, BlockEnd, End };
    struct Token {
        Kind kind = End;
        std::string text;
        int line = 0;
    };

    Lexer(const std::string& content, const std::string& file, std::vector<std::string>* warnings)
        : s_(content), file_(file), warnings_(warnings), pos_(0), line_(1), depth_(0) {
        // A UTF-8 byte order mark from some editors is not part of the config.
        if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
            pos_ = 3;
        }
    }

    const std::string& file() const { return file_; }
    // How deep the parser is in blocks of this file.
    int& depth() { return depth_; }

    srs_error_t next(Token* t) {
        srs_error_t err = srs_success;
        skip_space_and_comments();
        t->text.clear();
        t->line = line_;
        if (pos_ >= s_.size()) {
            t->kind = End;
            return err;
        }
        char c = s_[pos_];
        if (c == ';' || c == '{' || c == '}') {
            pos_++;
            t->kind = c == ';' ? Semicolon : (c == '{' ? BlockStart : BlockEnd);
            return err;
        }
        t->kind = Word;
        if (c == '"' || c == '\'') {
            return quoted(t);
        }
        return unquoted(t);
    }

private:
    void skip_space_and_comments() {
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (c == '\n') {
                line_++;
                pos_++;
            } else if (is_space(c)) {
                pos_++;
            } else if (c == '#') {
                while (pos_ < s_.size() && s_[pos_] != '\n') {
                    pos_++;
                }
            } else {
                return;
            }
        }
    }

    srs_error_t quoted(Token* t) {
        srs_error_t err = srs_success;
        char q = s_[pos_++];
        int start_line = line_;
        std::string text;
        while (true) {
            if (pos_ >= s_.size()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_EOF, "%s:%d: unclosed quote %c, the file ends first",
                                     file_.c_str(), start_line, q);
            }
            char c = s_[pos_++];
            if (c == '\\' && pos_ < s_.size() && (s_[pos_] == q || s_[pos_] == '\\')) {
                text += s_[pos_++];
                continue;
            }
            if (c == q) {
                break;
            }
            if (c == '\n') {
                line_++;
            }
            text += c;
        }
        if (pos_ < s_.size()) {
            char n = s_[pos_];
            if (!is_space(n) && n != ';' && n != '{' && n != '}') {
                return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE,
                                     "%s:%d: unexpected '%c' after a quoted argument, expect a space, ';' or '{'",
                                     file_.c_str(), line_, n);
            }
        }
        if (q == '\'') {
            t->text = text;
            return err;
        }
        return substitute(text, start_line, &t->text);
    }

    srs_error_t unquoted(Token* t) {
        size_t start = pos_;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (is_space(c) || c == ';' || c == '{' || c == '}') {
                break;
            }
            // ${VAR} holds braces that are not blocks.
            if (c == '$' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{') {
                size_t close = s_.find('}', pos_ + 2);
                size_t nl = s_.find('\n', pos_ + 2);
                if (close == std::string::npos || (nl != std::string::npos && nl < close)) {
                    return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: unclosed ${ in \"%s\"", file_.c_str(),
                                         line_, s_.substr(start, std::min<size_t>(nl, s_.size()) - start).c_str());
                }
                pos_ = close + 1;
                continue;
            }
            pos_++;
        }
        return substitute(s_.substr(start, pos_ - start), line_, &t->text);
    }

    // Replaces ${VAR} and ${VAR:-default} by the environment.
    srs_error_t substitute(const std::string& in, int line, std::string* out) {
        out->clear();
        size_t pos = 0;
        while (true) {
            size_t p = in.find("${", pos);
            if (p == std::string::npos) {
                out->append(in, pos, std::string::npos);
                return srs_success;
            }
            out->append(in, pos, p - pos);
            size_t close = in.find('}', p + 2);
            if (close == std::string::npos) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: unclosed ${ in \"%s\"", file_.c_str(), line,
                                     in.c_str());
            }
            std::string expr = in.substr(p + 2, close - p - 2);
            std::string name = expr, def;
            bool has_def = false;
            size_t d = expr.find(":-");
            if (d != std::string::npos) {
                name = expr.substr(0, d);
                def = expr.substr(d + 2);
                has_def = true;
            }
            if (!is_var_name(name)) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: invalid environment variable name \"%s\"",
                                     file_.c_str(), line, name.c_str());
            }
            const char* v = getenv(name.c_str());
            if (has_def && (!v || !*v)) {
                out->append(def);
            } else if (v) {
                out->append(v);
            } else {
                warnings_->push_back(srs_fmt("%s:%d: environment variable %s is not set, using an empty string",
                                             file_.c_str(), line, name.c_str()));
            }
            pos = close + 1;
        }
    }

    const std::string& s_;
    std::string file_;
    std::vector<std::string>* warnings_;
    size_t pos_;
    int line_;
    int depth_;
};

SrsConfParser::SrsConfParser() = default;

SrsConfParser::~SrsConfParser() = default;

srs_error_t SrsConfParser::parse_file(const std::string& path, std::unique_ptr<SrsConfDirective>* root) {
    srs_error_t err = srs_success;
    auto r = std::make_unique<SrsConfDirective>("", std::vector<std::string>(), path, 0);
    SrsConfDirective inc("include", {path}, path, 0);
    stack_.clear();
    if ((err = parse_included(path, inc, r.get())) != srs_success) {
        return err;
    }
    *root = std::move(r);
    return err;
}

srs_error_t SrsConfParser::parse_string(const std::string& content, const std::string& name,
                                        std::unique_ptr<SrsConfDirective>* root) {
    srs_error_t err = srs_success;
    auto r = std::make_unique<SrsConfDirective>("", std::vector<std::string>(), name, 0);
    stack_.clear();
    base_dir_.clear();
    Lexer lex(content, name, &warnings_);
    if ((err = parse_block(lex, r.get(), nullptr)) != srs_success) {
        return err;
    }
    *root = std::move(r);
    return err;
}

// One statement is the words up to ';', '{' or '}' (see ngx_conf_read_token).
srs_error_t SrsConfParser::parse_block(Lexer& lex, SrsConfDirective* parent, const SrsConfDirective* opener) {
    srs_error_t err = srs_success;
    const char* f = lex.file().c_str();
    while (true) {
        std::vector<std::string> words;
        int line = 0;
        Lexer::Token t;
        while (true) {
            if ((err = lex.next(&t)) != srs_success) {
                return err;
            }
            if (t.kind != Lexer::Word) {
                break;
            }
            if (words.empty()) {
                line = t.line;
            }
            words.push_back(t.text);
        }
        if (words.empty()) {
            line = t.line;
        }

        if (t.kind == Lexer::BlockEnd) {
            if (!words.empty()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: missing ';' after \"%s\" before '}'", f,
                                     line, srs_string_join(words, " ").c_str());
            }
            if (!opener) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_BLOCK_END, "%s:%d: unexpected '}'", f, t.line);
            }
            return err;
        }
        if (t.kind == Lexer::End) {
            if (!words.empty()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_EOF, "%s:%d: unexpected end of file, missing ';' after \"%s\"",
                                     f, line, srs_string_join(words, " ").c_str());
            }
            if (opener) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_EOF,
                                     "%s: unexpected end of file, block \"%s\" is not closed by '}'",
                                     opener->where().c_str(), opener->name().c_str());
            }
            return err;
        }
        if (words.empty()) {
            if (t.kind == Lexer::Semicolon) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: unexpected ';', empty directive", f, line);
            }
            return srs_error_new(ERROR_SYSTEM_CONFIG_BLOCK_START, "%s:%d: unexpected '{', a block needs a name", f,
                                 line);
        }
        if (words[0].empty()) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s:%d: empty directive name", f, line);
        }

        std::string name = words[0];
        words.erase(words.begin());
        auto d = std::make_unique<SrsConfDirective>(name, std::move(words), lex.file(), line);
        if (t.kind == Lexer::Semicolon) {
            if (name == "include") {
                if ((err = include(*d, parent)) != srs_success) {
                    return err;
                }
            } else {
                parent->add(std::move(d));
            }
            continue;
        }

        // A block.
        if (name == "include") {
            return srs_error_new(ERROR_SYSTEM_CONFIG_BLOCK_START, "%s:%d: include cannot be a block", f, line);
        }
        if (lex.depth() >= kMaxBlockDepth) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_BLOCK_START, "%s:%d: blocks nest deeper than %d", f, line,
                                 kMaxBlockDepth);
        }
        d->set_block(true);
        SrsConfDirective* block = parent->add(std::move(d));
        lex.depth()++;
        err = parse_block(lex, block, block);
        lex.depth()--;
        if (err != srs_success) {
            return err;
        }
    }
}

srs_error_t SrsConfParser::include(const SrsConfDirective& inc, SrsConfDirective* parent) {
    srs_error_t err = srs_success;
    if (inc.args().empty()) {
        return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s: include needs a file", inc.where().c_str());
    }
    for (const std::string& arg : inc.args()) {
        if (arg.empty()) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_DIRECTIVE, "%s: include of an empty file name",
                                 inc.where().c_str());
        }
        std::string path = join_path(base_dir_, arg);
        if (!has_wildcard(path)) {
            if ((err = parse_included(path, inc, parent)) != srs_success) {
                return err;
            }
            continue;
        }
        // Like nginx, a pattern may match nothing; matches are read in sorted order.
        glob_t g;
        memset(&g, 0, sizeof(g));
        int r = glob(path.c_str(), 0, nullptr, &g);
        std::vector<std::string> files;
        if (r == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                files.push_back(g.gl_pathv[i]);
            }
        }
        globfree(&g);
        if (r != 0 && r != GLOB_NOMATCH) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: include \"%s\": glob failed", inc.where().c_str(),
                                 path.c_str());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            if ((err = parse_included(file, inc, parent)) != srs_success) {
                return err;
            }
        }
    }
    return err;
}

srs_error_t SrsConfParser::parse_included(const std::string& path, const SrsConfDirective& inc,
                                          SrsConfDirective* parent) {
    srs_error_t err = srs_success;
    bool top = stack_.empty() && inc.line() == 0;
    std::string context = top ? std::string("config") : srs_fmt("%s: include", inc.where().c_str());

    char real[PATH_MAX];
    if (!realpath(path.c_str(), real)) {
        int e = errno;
        return srs_error_new(e == ENOENT ? ERROR_SYSTEM_FILE_NOT_EXISTS : ERROR_SYSTEM_FILE_OPENE, "%s \"%s\": %s",
                             context.c_str(), path.c_str(), e == ENOENT ? "file not found" : strerror(e));
    }
    std::string canonical = real;
    if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end()) {
        std::string chain;
        for (const auto& s : stack_) {
            chain += s + " -> ";
        }
        chain += canonical;
        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s \"%s\": include cycle %s", context.c_str(), path.c_str(),
                             chain.c_str());
    }
    if (stack_.size() >= kMaxIncludeDepth) {
        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s \"%s\": includes nest deeper than %d", context.c_str(),
                             path.c_str(), (int)kMaxIncludeDepth);
    }

    std::string content;
    if ((err = srs_conf_read_file(path, &content)) != srs_success) {
        return srs_error_wrap(err, "%s \"%s\"", context.c_str(), path.c_str());
    }

    stack_.push_back(canonical);
    std::string saved_dir = base_dir_;
    base_dir_ = dir_of(path);
    Lexer lex(content, path, &warnings_);
    err = parse_block(lex, parent, nullptr);
    base_dir_ = saved_dir;
    stack_.pop_back();
    if (err != srs_success && !top) {
        return srs_error_wrap(err, "included from %s", inc.where().c_str());
    }
    return err;
}

srs_error_t srs_conf_read_file(const std::string& path, std::string* content) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return srs_error_new(e == ENOENT ? ERROR_SYSTEM_FILE_NOT_EXISTS : ERROR_SYSTEM_FILE_OPENE, "open %s: %s",
                             path.c_str(), strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        return srs_error_new(ERROR_SYSTEM_FILE_READ, "read %s: is a directory", path.c_str());
    }
    content->clear();
    char buf[8192];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int e = errno;
            ::close(fd);
            return srs_error_new(ERROR_SYSTEM_FILE_READ, "read %s: %s", path.c_str(), strerror(e));
        }
        if (n == 0) {
            break;
        }
        content->append(buf, n);
    }
    ::close(fd);
    return srs_success;
}
