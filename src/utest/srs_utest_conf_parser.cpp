// The nginx-style config parser: syntax, errors with file:line, include and ${ENV}.
#include <gtest/gtest.h>

#include <srs_core_utility.hpp>
#include <srs_protocol_conf.hpp>

#include <ftw.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace {

std::unique_ptr<SrsConfDirective> parse_ok(const std::string& text) {
    SrsConfParser p;
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = p.parse_string(text, "<string>", &root);
    EXPECT_FALSE(err) << srs_error_desc(err);
    return root;
}

// The error's whole chain, or "" on success.
std::string parse_error(const std::string& text, int* code = nullptr) {
    SrsConfParser p;
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = p.parse_string(text, "<string>", &root);
    if (code) {
        *code = srs_error_code(err);
    }
    return srs_error_summary(err);
}

int rm_entry(const char* path, const struct stat*, int, struct FTW*) {
    return remove(path);
}

// A temporary directory of config files, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/srs_utest_conf_XXXXXX";
        char* d = mkdtemp(tmpl);
        EXPECT_TRUE(d != nullptr);
        dir_ = d ? d : "/tmp";
    }
    ~TempDir() { nftw(dir_.c_str(), rm_entry, 16, FTW_DEPTH | FTW_PHYS); }
    std::string write(const std::string& name, const std::string& content) {
        std::string path = dir_ + "/" + name;
        size_t slash = path.rfind('/');
        std::string sub = path.substr(0, slash);
        if (sub != dir_) {
            mkdir(sub.c_str(), 0700);
        }
        std::ofstream f(path);
        f << content;
        return path;
    }
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

srs_error_t parse_file(const std::string& path, std::unique_ptr<SrsConfDirective>* root,
                       std::vector<std::string>* warnings = nullptr) {
    SrsConfParser p;
    srs_error_t err = p.parse_file(path, root);
    if (warnings) {
        *warnings = p.warnings();
    }
    return err;
}

}  // namespace

TEST(ConfParserTest, DirectivesBlocksAndLines) {
    auto root = parse_ok(
        "listen 1935 1936;\n"
        "pid ./objs/srs.pid;\n"
        "\n"
        "vhost a.com {\n"
        "    hls { enabled on; hls_fragment 10; }\n"
        "}\n"
        "vhost __defaultVhost__ {}\n");
    ASSERT_TRUE(root);
    ASSERT_EQ(4u, root->size());
    const SrsConfDirective* listen = root->get("listen");
    ASSERT_TRUE(listen);
    EXPECT_EQ(2u, listen->args().size());
    EXPECT_EQ("1935", listen->arg0());
    EXPECT_EQ("1936", listen->arg1());
    EXPECT_EQ("", listen->arg2());
    EXPECT_EQ(1, listen->line());
    EXPECT_EQ("<string>:1", listen->where());
    EXPECT_FALSE(listen->is_block());

    const SrsConfDirective* vhost = root->get("vhost", "a.com");
    ASSERT_TRUE(vhost);
    EXPECT_TRUE(vhost->is_block());
    EXPECT_EQ(4, vhost->line());
    const SrsConfDirective* hls = vhost->get("hls");
    ASSERT_TRUE(hls);
    EXPECT_EQ(5, hls->line());
    EXPECT_EQ("10", hls->get("hls_fragment")->arg0());
    EXPECT_EQ(5, hls->get("hls_fragment")->line());

    EXPECT_EQ(2u, root->get_all("vhost").size());
    EXPECT_TRUE(root->get("vhost", "__defaultVhost__")->is_block());
    EXPECT_TRUE(root->get("vhost", "__defaultVhost__")->empty());
    EXPECT_EQ(nullptr, root->get("vhost", "b.com"));
    EXPECT_EQ(nullptr, root->get("nothing"));
    EXPECT_TRUE(root->get_all("nothing").empty());
}

TEST(ConfParserTest, DirectiveSpanningLinesTakesItsFirstLine) {
    auto root = parse_ok("\n\non_publish\n  http://a\n  http://b;\n");
    const SrsConfDirective* d = root->get("on_publish");
    ASSERT_TRUE(d);
    EXPECT_EQ(3, d->line());
    EXPECT_EQ(2u, d->args().size());
}

TEST(ConfParserTest, Comments) {
    auto root = parse_ok(
        "# a comment line\n"
        "listen 1935; # trailing comment with ; { } \" '\n"
        "url http://host/path#frag;\n"
        "name \"a # not a comment\";\n"
        "    # indented comment\n"
        "pid x;#tight comment\n");
    ASSERT_EQ(4u, root->size());
    EXPECT_EQ("1935", root->get("listen")->arg0());
    EXPECT_EQ("http://host/path#frag", root->get("url")->arg0());
    EXPECT_EQ("a # not a comment", root->get("name")->arg0());
    EXPECT_EQ("x", root->get("pid")->arg0());
    EXPECT_EQ(6, root->get("pid")->line());
}

TEST(ConfParserTest, Quotes) {
    auto root = parse_ok(
        "a \"with spaces; and { braces } # hash\";\n"
        "b 'single \"double\" inside';\n"
        "c \"say \\\"hi\\\"\" 'it\\'s' \"back\\\\slash\" \"C:\\dir\";\n"
        "d \"\" '';\n"
        "e \"multi\nline\";\n"
        "f \"x\"{ g y; }\n");
    EXPECT_EQ("with spaces; and { braces } # hash", root->get("a")->arg0());
    EXPECT_EQ("single \"double\" inside", root->get("b")->arg0());
    const SrsConfDirective* c = root->get("c");
    ASSERT_EQ(4u, c->args().size());
    EXPECT_EQ("say \"hi\"", c->arg0());
    EXPECT_EQ("it's", c->arg1());
    EXPECT_EQ("back\\slash", c->arg2());
    // A backslash before anything but the quote or a backslash is kept.
    EXPECT_EQ("C:\\dir", c->arg(3));
    const SrsConfDirective* d = root->get("d");
    ASSERT_EQ(2u, d->args().size());
    EXPECT_EQ("", d->arg0());
    EXPECT_EQ("multi\nline", root->get("e")->arg0());
    // The line counter follows the newline inside the quotes.
    EXPECT_EQ(7, root->get("f")->line());
    EXPECT_TRUE(root->get("f")->is_block());
    EXPECT_EQ("y", root->get("f")->get("g")->arg0());
}

TEST(ConfParserTest, QuotedDirectiveName) {
    auto root = parse_ok("\"listen\" 1935;");
    EXPECT_EQ("1935", root->get("listen")->arg0());
}

TEST(ConfParserTest, CrlfAndTabs) {
    auto root = parse_ok("listen\t1935;\r\n\r\nvhost v {\r\n\tgop_cache on;\r\n}\r\n");
    EXPECT_EQ("1935", root->get("listen")->arg0());
    const SrsConfDirective* g = root->get("vhost")->get("gop_cache");
    ASSERT_TRUE(g);
    EXPECT_EQ("on", g->arg0());
    EXPECT_EQ(4, g->line());
}

TEST(ConfParserTest, EmptyAndBom) {
    EXPECT_EQ(0u, parse_ok("")->size());
    EXPECT_EQ(0u, parse_ok("  \n# only a comment\n\n")->size());
    auto root = parse_ok("\xEF\xBB\xBFlisten 1935;");
    EXPECT_EQ("1935", root->get("listen")->arg0());
}

TEST(ConfParserTest, ErrorUnexpectedBlockEnd) {
    int code = 0;
    std::string e = parse_error("listen 1935;\n}\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_BLOCK_END, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected '}'")) << e;

    e = parse_error("vhost a {\n}\n}\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_BLOCK_END, code);
    EXPECT_NE(std::string::npos, e.find("<string>:3: unexpected '}'")) << e;
}

TEST(ConfParserTest, ErrorMissingSemicolon) {
    int code = 0;
    std::string e = parse_error("vhost a {\n    gop_cache on\n}\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: missing ';' after \"gop_cache on\" before '}'")) << e;

    e = parse_error("listen 1935;\npid ./objs/srs.pid\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_EOF, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected end of file, missing ';' after \"pid ./objs/srs.pid\""))
        << e;
}

TEST(ConfParserTest, ErrorUnclosedBlock) {
    int code = 0;
    std::string e = parse_error("listen 1935;\nvhost a {\n    hls {\n    }\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_EOF, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected end of file, block \"vhost\" is not closed")) << e;

    e = parse_error("vhost a {\n    hls {\n}\n", &code);
    EXPECT_NE(std::string::npos, e.find("<string>:1: unexpected end of file, block \"vhost\"")) << e;
}

TEST(ConfParserTest, ErrorUnclosedQuote) {
    int code = 0;
    std::string e = parse_error("listen 1935;\nname \"abc;\n\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_EOF, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unclosed quote \"")) << e;

    e = parse_error("a 'x\\';", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_EOF, code);
    EXPECT_NE(std::string::npos, e.find("<string>:1: unclosed quote '")) << e;
}

TEST(ConfParserTest, ErrorCharacterAfterQuote) {
    int code = 0;
    std::string e = parse_error("\n a \"x\"y;", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected 'y' after a quoted argument")) << e;
}

TEST(ConfParserTest, ErrorEmptyDirective) {
    int code = 0;
    std::string e = parse_error("listen 1935;\n;\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected ';', empty directive")) << e;

    e = parse_error("\n\n{ a b; }", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_BLOCK_START, code);
    EXPECT_NE(std::string::npos, e.find("<string>:3: unexpected '{', a block needs a name")) << e;

    e = parse_error("a;\n\"\" value;", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: empty directive name")) << e;
}

TEST(ConfParserTest, ErrorTooDeep) {
    std::string text;
    for (int i = 0; i < 100; i++) {
        text += "a {";
    }
    for (int i = 0; i < 100; i++) {
        text += "}";
    }
    int code = 0;
    std::string e = parse_error(text, &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_BLOCK_START, code);
    EXPECT_NE(std::string::npos, e.find("nest deeper")) << e;
}

TEST(ConfParserTest, EnvSubstitution) {
    setenv("SRS_UTEST_PORT", "19350", 1);
    setenv("SRS_UTEST_HOST", "example.com", 1);
    setenv("SRS_UTEST_EMPTY", "", 1);
    unsetenv("SRS_UTEST_UNSET");
    SrsConfParser p;
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = p.parse_string(
        "listen ${SRS_UTEST_PORT};\n"
        "url http://${SRS_UTEST_HOST}:${SRS_UTEST_PORT}/live;\n"
        "q \"${SRS_UTEST_HOST} x\" '${SRS_UTEST_HOST}';\n"
        "bare $SRS_UTEST_HOST;\n"
        "unset a${SRS_UTEST_UNSET}b;\n"
        "def ${SRS_UTEST_UNSET:-8080} ${SRS_UTEST_EMPTY:-e} ${SRS_UTEST_PORT:-1};\n"
        "vhost ${SRS_UTEST_HOST} { enabled on; }\n",
        "<string>", &root);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ("19350", root->get("listen")->arg0());
    EXPECT_EQ("http://example.com:19350/live", root->get("url")->arg0());
    EXPECT_EQ("example.com x", root->get("q")->arg0());
    // Single quotes keep it literally.
    EXPECT_EQ("${SRS_UTEST_HOST}", root->get("q")->arg1());
    // A bare $VAR is left for the directive (SRS's candidate $CANDIDATE).
    EXPECT_EQ("$SRS_UTEST_HOST", root->get("bare")->arg0());
    EXPECT_EQ("ab", root->get("unset")->arg0());
    EXPECT_EQ("8080", root->get("def")->arg0());
    EXPECT_EQ("e", root->get("def")->arg1());
    EXPECT_EQ("19350", root->get("def")->arg2());
    ASSERT_TRUE(root->get("vhost", "example.com"));
    ASSERT_EQ(1u, p.warnings().size());
    EXPECT_NE(std::string::npos, p.warnings()[0].find("<string>:5: environment variable SRS_UTEST_UNSET is not set"))
        << p.warnings()[0];
}

TEST(ConfParserTest, EnvErrors) {
    int code = 0;
    std::string e = parse_error("a;\nb ${1BAD};", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: invalid environment variable name \"1BAD\"")) << e;

    e = parse_error("b ${OPEN;\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_DIRECTIVE, code);
    EXPECT_NE(std::string::npos, e.find("<string>:1: unclosed ${")) << e;

    e = parse_error("b \"${OPEN\";\n", &code);
    EXPECT_NE(std::string::npos, e.find("<string>:1: unclosed ${")) << e;
}

TEST(ConfParserTest, IncludeRelativeNestedAndInBlock) {
    TempDir t;
    t.write("main.conf",
            "listen 1935;\n"
            "include sub/vhosts.conf;\n"
            "http_api {\n"
            "    include api.conf;\n"
            "}\n"
            "pid x;\n");
    t.write("api.conf", "enabled on;\nlisten 1985;\n");
    // Relative to sub/, where vhosts.conf is.
    t.write("sub/vhosts.conf", "vhost a.com {\n    include hls.conf;\n}\ninclude more.conf;\n");
    t.write("sub/hls.conf", "hls { enabled on; }\n");
    t.write("sub/more.conf", "vhost b.com { }\n");

    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = parse_file(t.dir() + "/main.conf", &root);
    ASSERT_FALSE(err) << srs_error_desc(err);
    std::vector<std::string> names;
    for (const SrsConfDirective* d : root->children()) {
        names.push_back(d->name() + (d->arg0().empty() ? "" : ":" + d->arg0()));
    }
    EXPECT_EQ("listen:1935,vhost:a.com,vhost:b.com,http_api,pid:x", srs_string_join(names, ","));
    const SrsConfDirective* a = root->get("vhost", "a.com");
    ASSERT_TRUE(a->get("hls"));
    EXPECT_EQ(t.dir() + "/main.conf", root->get("listen")->file());
    EXPECT_EQ(t.dir() + "/sub/vhosts.conf", a->file());
    EXPECT_EQ(t.dir() + "/sub/hls.conf", a->get("hls")->file());
    EXPECT_EQ(1, a->get("hls")->line());
    EXPECT_EQ("1985", root->get("http_api")->get("listen")->arg0());
    EXPECT_EQ(2, root->get("http_api")->get("listen")->line());
}

TEST(ConfParserTest, IncludeSeveralFilesAndWildcard) {
    TempDir t;
    t.write("main.conf", "include a.conf b.conf;\ninclude conf.d/*.conf;\ninclude none.d/*.conf;\n");
    t.write("a.conf", "a 1;");
    t.write("b.conf", "b 2;");
    t.write("conf.d/2.conf", "d 4;");
    t.write("conf.d/1.conf", "c 3;");
    t.write("conf.d/skip.txt", "x y;");
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = parse_file(t.dir() + "/main.conf", &root);
    ASSERT_FALSE(err) << srs_error_desc(err);
    std::vector<std::string> names;
    for (const SrsConfDirective* d : root->children()) {
        names.push_back(d->name());
    }
    EXPECT_EQ("a,b,c,d", srs_string_join(names, ","));
}

TEST(ConfParserTest, IncludeMissingFile) {
    TempDir t;
    t.write("main.conf", "listen 1935;\n\ninclude missing.conf;\n");
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = parse_file(t.dir() + "/main.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SYSTEM_FILE_NOT_EXISTS, srs_error_code(err));
    std::string e = srs_error_summary(err);
    EXPECT_NE(std::string::npos,
              e.find(t.dir() + "/main.conf:3: include \"" + t.dir() + "/missing.conf\": file not found"))
        << e;

    err = parse_file(t.dir() + "/nothing.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SYSTEM_FILE_NOT_EXISTS, srs_error_code(err));
}

TEST(ConfParserTest, IncludeErrors) {
    TempDir t;
    t.write("empty.conf", "include;\n");
    t.write("block.conf", "include x {}\n");
    t.write("bad.conf", "a 1;\ninclude inner.conf;\n");
    t.write("inner.conf", "\n\nb 2\n");
    std::unique_ptr<SrsConfDirective> root;

    srs_error_t err = parse_file(t.dir() + "/empty.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_NE(std::string::npos, srs_error_summary(err).find("empty.conf:1: include needs a file"));

    err = parse_file(t.dir() + "/block.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_NE(std::string::npos, srs_error_summary(err).find("block.conf:1: include cannot be a block"));

    // An error inside an included file names that file and line, and where it was included.
    err = parse_file(t.dir() + "/bad.conf", &root);
    ASSERT_TRUE(err);
    std::string e = srs_error_summary(err);
    EXPECT_NE(std::string::npos, e.find("inner.conf:3: unexpected end of file, missing ';'")) << e;
    EXPECT_NE(std::string::npos, e.find("included from " + t.dir() + "/bad.conf:2")) << e;
}

TEST(ConfParserTest, IncludeCycle) {
    TempDir t;
    t.write("a.conf", "x 1;\ninclude b.conf;\n");
    t.write("b.conf", "include ./a.conf;\n");
    t.write("self.conf", "include self.conf;\n");
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = parse_file(t.dir() + "/a.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_INVALID, srs_error_code(err));
    std::string e = srs_error_summary(err);
    EXPECT_NE(std::string::npos, e.find("b.conf:1: include \"" + t.dir() + "/./a.conf\": include cycle")) << e;

    err = parse_file(t.dir() + "/self.conf", &root);
    ASSERT_TRUE(err);
    EXPECT_NE(std::string::npos, srs_error_summary(err).find("include cycle"));

    // Including the same file twice, not nested, is fine.
    t.write("twice.conf", "include x.conf;\ninclude x.conf;\n");
    t.write("x.conf", "x 1;\n");
    err = parse_file(t.dir() + "/twice.conf", &root);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(2u, root->get_all("x").size());
}

TEST(ConfParserTest, IncludeFromStringIsRelativeToCwd) {
    TempDir t;
    t.write("inc.conf", "a 1;\n");
    std::unique_ptr<SrsConfDirective> root = parse_ok("include " + t.dir() + "/inc.conf;\nb 2;\n");
    ASSERT_TRUE(root);
    EXPECT_EQ(2u, root->size());
}

TEST(ConfParserTest, EqualsCopyAndDumps) {
    auto a = parse_ok("listen 1935;\nvhost v {\n  hls { enabled on; }\n  name \"a b\" '${X}' \"\" \"q\\\"\";\n}\n");
    auto b = parse_ok("# other layout\nlisten    1935;vhost v{hls{enabled on;}name 'a b' '${X}' '' 'q\"';}");
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->equals(*b));
    EXPECT_TRUE(b->equals(*a));

    auto c = a->copy();
    EXPECT_TRUE(c->equals(*a));
    EXPECT_EQ(a->get("vhost")->get("hls")->line(), c->get("vhost")->get("hls")->line());
    c->mutable_get("vhost")->mutable_get("hls")->mutable_get("enabled")->set_args({"off"});
    EXPECT_FALSE(c->equals(*a));
    EXPECT_EQ("on", a->get("vhost")->get("hls")->get("enabled")->arg0());

    // A block and a directive of the same name and args differ.
    EXPECT_FALSE(parse_ok("a;")->equals(*parse_ok("a {}")));
    EXPECT_FALSE(parse_ok("a 1;")->equals(*parse_ok("a 1; b;")));
    EXPECT_FALSE(parse_ok("a 1; b;")->equals(*parse_ok("b; a 1;")));

    // What dumps() writes parses back to the same tree.
    std::string text = a->dumps();
    auto d = parse_ok(text);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->equals(*a)) << text;
    EXPECT_NE(std::string::npos, text.find("vhost v {\n    hls {\n        enabled on;\n    }\n")) << text;
}

TEST(ConfParserTest, BuildAndRemove) {
    SrsConfDirective root;
    SrsConfDirective* v = root.add("vhost", {"a"});
    v->set_block(true);
    SrsConfDirective* hls = v->get_or_create_block("hls");
    EXPECT_EQ(hls, v->get_or_create_block("hls"));
    hls->add("enabled", {"on"});
    EXPECT_EQ("vhost a {\n    hls {\n        enabled on;\n    }\n}\n", root.dumps());
    std::unique_ptr<SrsConfDirective> removed = v->remove(0);
    EXPECT_EQ("hls", removed->name());
    EXPECT_TRUE(v->empty());
}

TEST(ConfParserBomTest, DumpOfANameStartingWithABomParsesBack) {
    // Found by fuzzing: a BOM starting the first directive of a dump was stripped as the file's BOM.
    SrsConfParser parser;
    std::unique_ptr<SrsConfDirective> root;
    ASSERT_FALSE(parser.parse_string("# c\n\xEF\xBB\xBFname 1;\n", "<t>", &root));
    std::string dumped = root->dumps();
    SrsConfParser again;
    std::unique_ptr<SrsConfDirective> back;
    ASSERT_FALSE(again.parse_string(dumped, "<dump>", &back));
    EXPECT_TRUE(back->equals(*root)) << dumped;
}
