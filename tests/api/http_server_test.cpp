// The real HTTP server on 127.0.0.1 (port 0) in front of the API, driven by libcurl and by raw
// sockets for what no well-behaved client sends.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include "api/http_server.hpp"
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

struct CurlReply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
  long new_connections = 0;
  long local_port = 0;
  CURLcode code = CURLE_OK;
};

// One libcurl easy handle: requests made through it reuse its connection when they can.
class Client {
 public:
  Client() : curl_(curl_easy_init()) {}
  ~Client() { curl_easy_cleanup(curl_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  CurlReply Call(const std::string& method, const std::string& url, const std::string& body = {},
                 std::vector<std::string> headers = {}) {
    CurlReply r;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    if (!body.empty()) {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Client::Write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &Client::Header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.headers);
    r.code = curl_easy_perform(curl_);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &r.new_connections);
    curl_easy_getinfo(curl_, CURLINFO_LOCAL_PORT, &r.local_port);
    curl_slist_free_all(list);
    return r;
  }

 private:
  static size_t Write(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  static size_t Header(char* data, size_t size, size_t n, void* out) {
    std::string line(data, size * n);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * n;
  }
  CURL* curl_;
};

// Sends `bytes` on a fresh connection and reads until the server closes it (or 10 s pass, so a
// broken server fails the test instead of hanging it).
std::string RawExchange(unsigned short port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);  // nothing more is coming: the server must not wait for it
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

class HttpServerTest : public ApiTest {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    HttpServerSettings s;
    s.host = "127.0.0.1";
    s.port = 0;
    s.threads = 2;
    s.max_body_bytes = 64 << 10;
    s.upload_path = "/api/v1/imports";
    s.max_upload_bytes = 256 << 10;
    s.max_header_bytes = 8 << 10;
    server_ = std::make_unique<HttpServer>(*api_, s);
    auto port = server_->Start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    ASSERT_NE(port_, 0);
    base_ = "http://127.0.0.1:" + std::to_string(port_);
  }
  void TearDown() override { server_->Stop(); }

  std::vector<std::string> Auth(const std::string& token) {
    return {"Authorization: Bearer " + token, "Content-Type: application/json"};
  }

  std::unique_ptr<HttpServer> server_;
  unsigned short port_ = 0;
  std::string base_;
};

TEST_F(HttpServerTest, ServesTheApiAndKeepsConnectionsAlive) {
  Client client;
  auto first = client.Call("GET", base_ + "/healthz");
  ASSERT_EQ(first.code, CURLE_OK) << curl_easy_strerror(first.code);
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("\"status\":\"ok\""), std::string::npos) << first.body;
  EXPECT_EQ(first.new_connections, 1);
  EXPECT_EQ(first.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(first.headers["content-type"], "application/json");
  auto created = client.Call("POST", base_ + "/api/v1/contacts", R"({"email":"wire@x.example"})",
                             Auth(manager_));
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.headers["location"].find("/api/v1/contacts/"), std::string::npos);
  auto listed = client.Call("GET", base_ + "/api/v1/contacts?q=wire", "", Auth(manager_));
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("wire@x.example"), std::string::npos);
  auto deleted = client.Call("DELETE", base_ + created.headers["location"], "", Auth(manager_));
  EXPECT_EQ(deleted.status, 204);
  // Every request after the first reused the first connection.
  for (const auto* r : {&created, &listed, &deleted}) {
    EXPECT_EQ(r->new_connections, 0);
    EXPECT_EQ(r->local_port, first.local_port);
  }
}

TEST_F(HttpServerTest, OversizedBodiesAre413AndTheServerGoesOn) {
  const std::string big =
      R"({"email":"big@x.example","title":")" + std::string(100 << 10, 'x') + "\"}";
  Client client;
  // With Expect: 100-continue the client learns before sending the body...
  auto expect = client.Call("POST", base_ + "/api/v1/contacts", big,
                            {"Authorization: Bearer " + manager_, "Content-Type: application/json",
                             "Expect: 100-continue"});
  ASSERT_EQ(expect.code, CURLE_OK) << curl_easy_strerror(expect.code);
  EXPECT_EQ(expect.status, 413);
  EXPECT_NE(expect.body.find("\"code\":\"payload_too_large\""), std::string::npos) << expect.body;
  EXPECT_EQ(expect.headers["connection"], "close");
  // ...without it, the body arrives, is drained, and the answer still gets through.
  auto plain = client.Call(
      "POST", base_ + "/api/v1/contacts", big,
      {"Authorization: Bearer " + manager_, "Content-Type: application/json", "Expect:"});
  ASSERT_EQ(plain.code, CURLE_OK) << curl_easy_strerror(plain.code);
  EXPECT_EQ(plain.status, 413);
  // A chunked body has no length to check first: it is cut at the limit.
  std::string chunked = "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        manager_ +
                        "\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 80; ++i) chunked += "400\r\n" + std::string(1024, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  const std::string answer = RawExchange(port_, chunked);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  // And the server answers the next client as usual.
  auto after = client.Call("POST", base_ + "/api/v1/contacts", R"({"email":"small@x.example"})",
                           Auth(manager_));
  EXPECT_EQ(after.status, 201) << after.body;
}

TEST_F(HttpServerTest, TheUploadPathAloneTakesLargerBodies) {
  std::string csv = "Email,First Name\n";
  while (csv.size() < (100 << 10)) csv += "someone" + std::to_string(csv.size()) + "@x.example,A\n";
  const std::vector<std::string> headers = {"Authorization: Bearer " + marketer_,
                                            "Content-Type: text/csv", "Expect:"};
  Client client;
  auto ok = client.Call("POST", base_ + "/api/v1/imports", csv, headers);
  ASSERT_EQ(ok.code, CURLE_OK) << curl_easy_strerror(ok.code);
  EXPECT_EQ(ok.status, 202) << ok.body.substr(0, 200);
  // The same size elsewhere is still over the ordinary limit.
  auto elsewhere = client.Call("POST", base_ + "/api/v1/contacts", csv, headers);
  EXPECT_EQ(elsewhere.status, 413);
  // And the upload path has its own limit, checked on the length before the body.
  std::string huge = csv;
  while (huge.size() < (300 << 10)) huge += csv;
  auto refused = client.Call("POST", base_ + "/api/v1/imports", huge, headers);
  EXPECT_EQ(refused.status, 413);
  EXPECT_NE(refused.body.find(std::to_string(256 << 10)), std::string::npos) << refused.body;
  services_->imports.WaitIdle();
}

TEST_F(HttpServerTest, MalformedRequestsAre400AndClosed) {
  const std::string garbage = RawExchange(port_, "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400", 0), 0u) << garbage;
  EXPECT_NE(garbage.find("\"code\":\"bad_request\""), std::string::npos) << garbage;
  EXPECT_NE(garbage.find("Connection: close"), std::string::npos);
  EXPECT_NE(garbage.find("X-Content-Type-Options: nosniff"), std::string::npos);
  const std::string bad_length =
      RawExchange(port_, "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
  EXPECT_EQ(bad_length.rfind("HTTP/1.1 400", 0), 0u) << bad_length;
  const std::string bad_target = RawExchange(port_, "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(bad_target.rfind("HTTP/1.1 400", 0), 0u) << bad_target;
  const std::string huge_header = RawExchange(
      port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n");
  EXPECT_EQ(huge_header.rfind("HTTP/1.1 431", 0), 0u) << huge_header.substr(0, 200);
  // A request cut short is simply dropped; the server goes on.
  RawExchange(port_, "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
  Client client;
  EXPECT_EQ(client.Call("GET", base_ + "/healthz").status, 200);
}

TEST_F(HttpServerTest, PipelinedRequestsOnOneConnectionAreAnsweredInOrder) {
  const std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string answer = RawExchange(port_, two);
  const auto first = answer.find("HTTP/1.1 200");
  const auto second = answer.find("HTTP/1.1 404");
  EXPECT_EQ(first, 0u) << answer;
  EXPECT_NE(second, std::string::npos) << answer;
  EXPECT_LT(first, second);
}

TEST_F(HttpServerTest, ConcurrentClientsAreAllServed) {
  constexpr int kThreads = 8;
  constexpr int kEach = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client client;
      for (int i = 0; i < kEach; ++i) {
        const std::string email = "c" + std::to_string(t) + "-" + std::to_string(i) + "@x.example";
        auto created = client.Call("POST", base_ + "/api/v1/contacts",
                                   WriteJson(json::object{{"email", email}}), Auth(rep1_));
        auto listed = client.Call("GET", base_ + "/api/v1/contacts?limit=5", "", Auth(rep2_));
        if (created.status == 201 && listed.status == 200) ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  Client client;
  auto all = client.Call("GET", base_ + "/api/v1/contacts?limit=500", "", Auth(manager_));
  ASSERT_EQ(all.status, 200);
  auto parsed = ParseJson(all.body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->at("items").as_array().size(), static_cast<std::size_t>(kThreads * kEach));
}

// A handler that fails the way a bug does.
class ThrowingHandler final : public HttpHandler {
 public:
  Response Handle(const Request& r) override {
    if (r.path == "/boom") throw std::runtime_error("boom");
    return Response::Json(200, "{\"echo\":\"" + r.method + "\"}");
  }
};

TEST(HttpServerLifecycleTest, AThrowingHandlerIsA500AndTheConnectionGoesOn) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ThrowingHandler handler;
  std::vector<std::string> log;
  std::mutex mu;
  HttpServerSettings s;
  s.port = 0;
  s.threads = 1;
  s.log_error = [&](std::string_view line) {
    std::lock_guard lock(mu);
    log.emplace_back(line);
  };
  HttpServer server(handler, s);
  auto port = server.Start();
  ASSERT_TRUE(port);
  const std::string base = "http://127.0.0.1:" + std::to_string(*port);
  Client client;
  auto boom = client.Call("GET", base + "/boom");
  EXPECT_EQ(boom.status, 500);
  EXPECT_NE(boom.body.find("\"code\":\"internal\""), std::string::npos) << boom.body;
  auto fine = client.Call("PATCH", base + "/fine");
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(fine.body, "{\"echo\":\"PATCH\"}");
  EXPECT_EQ(fine.new_connections, 0);
  server.Stop();
  std::lock_guard lock(mu);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("/boom"), std::string::npos);
}

TEST(HttpServerLifecycleTest, StartsOnceRefusesATakenPortAndStopsCleanly) {
  ThrowingHandler handler;
  HttpServerSettings s;
  s.port = 0;
  s.threads = 2;
  HttpServer server(handler, s);
  auto port = server.Start();
  ASSERT_TRUE(port);
  auto again = server.Start();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kFailedPrecondition);

  HttpServerSettings same = s;
  same.port = *port;
  HttpServer rival(handler, same);
  auto taken = rival.Start();
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, core::ErrorCode::kUnavailable);

  HttpServerSettings nowhere = s;
  nowhere.host = "no-such-host.invalid";
  HttpServer lost(handler, nowhere);
  EXPECT_FALSE(lost.Start());

  // An idle keep-alive connection does not hold Stop up; afterwards nothing listens.
  Client client;
  const std::string base = "http://127.0.0.1:" + std::to_string(*port);
  EXPECT_EQ(client.Call("GET", base + "/x").status, 200);
  server.Stop();
  server.Stop();
  EXPECT_NE(RawExchange(*port, "GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1", 0), 0u);
  EXPECT_NE(client.Call("GET", base + "/x").code, CURLE_OK);
}

}  // namespace
}  // namespace tandem::api::apitest
