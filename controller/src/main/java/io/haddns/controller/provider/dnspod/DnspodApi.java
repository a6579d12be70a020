package io.haddns.controller.provider.dnspod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DNSPod actions of the Tencent Cloud API 3.0 (version 2021-03-23) that haddns uses, each a
 * signed POST of a JSON body to the endpoint's root. One record per call: the API's batch actions
 * are asynchronous jobs, which haddns does not use.
 *
 * <p>Blocking; one request at a time per caller; every request bounded by the configured timeout.
 *
 * @see <a href="https://www.tencentcloud.com/document/api/1157/49041">CreateRecord</a> and its
 *     siblings DescribeRecordList, ModifyRecord, ModifyRecordRemark, DeleteRecord
 */
final class DnspodApi {
  static final String VERSION = "2021-03-23";
  static final String SERVICE = "dnspod";
  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /** DescribeRecordList's documented largest page. */
  static final int PAGE_SIZE = 3000;

  private final String zone;
  private final URI endpoint;
  private final String host;
  private final Optional<String> region;
  private final String line;
  private final Duration timeout;
  private final Tc3Signer signer;
  private final InstantSource clock;
  private final HttpClient http;
  private final RequestPacer pacer;
  private final ObjectMapper json = new ObjectMapper();
  private final DnspodErrors errors = new DnspodErrors(json);

  DnspodApi(String zone, ProviderConfig.Dnspod config, InstantSource clock, RequestPacer pacer) {
    this.zone = zone;
    URI base = config.baseUrl();
    this.endpoint = URI.create(base + "/");
    this.host = base.getHost() + (base.getPort() == -1 ? "" : ":" + base.getPort());
    this.region = config.region();
    this.line = config.recordLine();
    this.timeout = config.timeout();
    this.signer =
        new Tc3Signer(
            new String(config.secretId().value(), StandardCharsets.UTF_8),
            config.secretKey().value(),
            SERVICE);
    this.clock = clock;
    this.pacer = pacer;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Every record of {@code type} on haddns' line; an empty zone answers NoDataOfRecord. */
  List<DnspodRecord> listRecords(RecordType type) throws ProviderException {
    List<DnspodRecord> records = new ArrayList<>();
    int offset = 0;
    while (true) {
      ObjectNode params = params();
      params.put("RecordType", type.name()).put("RecordLine", line);
      params.put("Offset", offset).put("Limit", PAGE_SIZE);
      DnspodErrors.Outcome outcome = call("DescribeRecordList", params);
      if (outcome instanceof DnspodErrors.Outcome.Failed f) {
        if (f.error().code().equals(DnspodErrors.NO_DATA_OF_RECORD)) {
          return records;
        }
        throw DnspodErrors.classify(context("DescribeRecordList"), f.error());
      }
      JsonNode response = ((DnspodErrors.Outcome.Ok) outcome).response();
      JsonNode page = response.path("RecordList");
      for (JsonNode n : page) {
        DnspodRecord.fromJson(n, zone).filter(r -> r.line().equals(line)).ifPresent(records::add);
      }
      offset += page.size();
      long total = response.path("RecordCountInfo").path("TotalCount").asLong(0);
      if (page.isEmpty() || offset >= total) {
        return records;
      }
    }
  }

  /** Creates a marked record; answers its RecordId. */
  long create(String name, RecordType type, InetAddress address, long ttl)
      throws ProviderException {
    ObjectNode p = record(name, type, address, ttl);
    p.put("Remark", DnspodRecord.OWNER_MARK);
    return ok("CreateRecord", p).path("RecordId").asLong();
  }

  void modify(DnspodRecord r, InetAddress address, long ttl) throws ProviderException {
    ObjectNode p = record(r.name(), r.type(), address, ttl);
    p.put("RecordId", r.id());
    ok("ModifyRecord", p);
  }

  void remark(DnspodRecord r, String remark) throws ProviderException {
    ObjectNode p = params();
    p.put("RecordId", r.id()).put("Remark", remark);
    ok("ModifyRecordRemark", p);
  }

  void delete(DnspodRecord r) throws ProviderException {
    ObjectNode p = params();
    p.put("RecordId", r.id());
    ok("DeleteRecord", p);
  }

  String line() {
    return line;
  }

  private ObjectNode record(String name, RecordType type, InetAddress address, long ttl) {
    ObjectNode p = params();
    p.put("SubDomain", DnspodRecord.subDomain(name, zone));
    p.put("RecordType", type.name()).put("RecordLine", line);
    p.put("Value", address.getHostAddress()).put("TTL", ttl);
    return p;
  }

  private ObjectNode params() {
    return json.createObjectNode().put("Domain", zone);
  }

  private JsonNode ok(String action, ObjectNode params) throws ProviderException {
    return switch (call(action, params)) {
      case DnspodErrors.Outcome.Ok ok -> ok.response();
      case DnspodErrors.Outcome.Failed f -> throw DnspodErrors.classify(context(action), f.error());
    };
  }

  private String context(String action) {
    return "dnspod zone " + zone + ": " + action;
  }

  /** The request, signed with the clock's time now. */
  HttpRequest signed(String action, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> signed = new LinkedHashMap<>();
    signed.put("Content-Type", CONTENT_TYPE);
    signed.put("Host", host);
    signed.put("X-TC-Action", action);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", CONTENT_TYPE)
            .header("X-TC-Action", action)
            .header("X-TC-Version", VERSION)
            .header("X-TC-Timestamp", Long.toString(timestamp))
            .header("Authorization", signer.sign(signed, body, timestamp).authorization())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    region.ifPresent(r -> request.header("X-TC-Region", r));
    return request.build();
  }

  private DnspodErrors.Outcome call(String action, ObjectNode params) throws ProviderException {
    byte[] body;
    try {
      body = json.writeValueAsBytes(params);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(context(action) + ": cannot write JSON", e);
    }
    HttpResponse<String> response;
    try {
      // Sign only once the pacer lets the request go: X-TC-Timestamp must be within five minutes
      // of Tencent's clock, and a queue of paced requests can be long.
      pacer.acquire();
      response =
          http.send(
              signed(action, body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TransientProviderException(
          context(action) + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(context(action) + ": interrupted", e);
    }
    return errors.parse(context(action), response.statusCode(), response.body());
  }
}
