package dev.veil.admin.http;

import static dev.veil.admin.http.AdminRoutes.create;
import static dev.veil.admin.http.AdminRoutes.route;
import static dev.veil.admin.http.Body.optional;
import static dev.veil.admin.http.Body.required;

import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.http.Body.Type;
import dev.veil.admin.http.Route.Method;
import dev.veil.admin.policy.PolicyService;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.ValidationReport;
import dev.veil.store.ConfigStore.PolicyVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policy routes: published versions and history, validation and diffs, drafts, approvals and publishing. */
final class PolicyRoutes {

    private static final int MAX_YAML = PolicyService.MAX_YAML_BYTES;

    private PolicyRoutes() {}

    static List<Route> routes(AdminServices s) {
        String t = "policies";
        return List.of(
                route(
                        Method.GET,
                        "/policy",
                        Permission.VIEW_CONFIG,
                        t,
                        "The published policy (canonical YAML).",
                        null,
                        r -> Response.ok(version(s, s.policies().version(null)))),
                route(
                        Method.GET,
                        "/policies",
                        Permission.VIEW_CONFIG,
                        t,
                        "Published versions, newest first, with approvers.",
                        null,
                        r -> Response.ok(s.policies().history())),
                route(
                        Method.GET,
                        "/policies/{version}",
                        Permission.VIEW_CONFIG,
                        t,
                        "One published version.",
                        null,
                        r -> Response.ok(version(s, s.policies().version((int) r.pathLong("version"))))),
                route(
                        Method.GET,
                        "/policies/{version}/export",
                        Permission.VIEW_CONFIG,
                        t,
                        "One version as policy YAML (secrets stay references); audited.",
                        null,
                        r -> Response.text(
                                "application/yaml; charset=utf-8",
                                s.policies().export((int) r.pathLong("version"), r.principal()))),
                route(
                        Method.POST,
                        "/policy/validate",
                        Permission.VIEW_CONFIG,
                        t,
                        "Validate policy YAML: every error and warning.",
                        Body.of(required("yaml", Type.STRING, MAX_YAML, "policy YAML")),
                        r -> Response.ok(report(s.policies().validate(r.string("yaml"), "request")))),
                route(
                        Method.POST,
                        "/policy/diff",
                        Permission.VIEW_CONFIG,
                        t,
                        "What would change, in plain words, going from the published policy to this YAML.",
                        Body.of(required("yaml", Type.STRING, MAX_YAML, "proposed policy YAML")),
                        r -> {
                            Policy to = s.policies().parse(r.string("yaml"), "request");
                            return Response.ok(s.policies().diff(s.policies().publishedPolicy(), to).stream()
                                    .map(Views.ChangeView::of)
                                    .toList());
                        }),
                route(
                        Method.GET,
                        "/drafts",
                        Permission.VIEW_CONFIG,
                        t,
                        "Drafts, newest first (?all=true includes closed ones).",
                        null,
                        r -> Response.ok(s.drafts().list(!"true".equals(r.query("all"))).stream()
                                .map(Views.DraftSummary::of)
                                .toList())),
                create(
                        Method.POST,
                        "/drafts",
                        Permission.EDIT_CONFIG,
                        t,
                        "Start a draft: from the published policy, or import YAML.",
                        Body.of(
                                optional(
                                        "yaml",
                                        Type.STRING,
                                        MAX_YAML,
                                        "policy YAML to import (default: a copy of the published policy)"),
                                optional("comment", Type.STRING, 1000, "why")),
                        r -> Response.created(Views.DraftDetail.of(
                                s.drafts().create(r.principal(), r.optString("yaml"), comment(r))))),
                route(
                        Method.GET,
                        "/drafts/{id}",
                        Permission.VIEW_CONFIG,
                        t,
                        "A draft with its validation, plain-words diff, approvals and whether it can be published.",
                        null,
                        r -> Response.ok(Views.DraftDetail.of(s.drafts().get(r.pathLong("id"))))),
                route(
                        Method.PUT,
                        "/drafts/{id}",
                        Permission.EDIT_CONFIG,
                        t,
                        "Save a new revision (name the revision you edited; a later edit needs a new approval).",
                        Body.of(
                                required("yaml", Type.STRING, MAX_YAML, "the whole policy YAML"),
                                required("revision", Type.INTEGER, 0, "the revision this edit starts from"),
                                optional("comment", Type.STRING, 1000, "why")),
                        r -> Response.ok(Views.DraftDetail.of(s.drafts()
                                .revise(
                                        r.principal(),
                                        r.pathLong("id"),
                                        r.integer("revision"),
                                        r.string("yaml"),
                                        comment(r))))),
                route(
                        Method.POST,
                        "/drafts/{id}/approve",
                        Permission.APPROVE_POLICY,
                        t,
                        "Approve one revision (privacy officers who did not edit the draft).",
                        Body.of(
                                required("revision", Type.INTEGER, 0, "the exact revision reviewed"),
                                optional("comment", Type.STRING, 1000, "review note")),
                        r -> {
                            s.drafts().approve(r.principal(), r.pathLong("id"), r.integer("revision"), comment(r));
                            return Response.ok(Views.DraftDetail.of(s.drafts().get(r.pathLong("id"))));
                        }),
                route(
                        Method.POST,
                        "/drafts/{id}/publish",
                        Permission.PUBLISH_POLICY,
                        t,
                        "Publish an approved revision as the next policy version.",
                        Body.of(required("revision", Type.INTEGER, 0, "the approved revision")),
                        r -> Response.ok(version(
                                s, s.drafts().publish(r.principal(), r.pathLong("id"), r.integer("revision"))))),
                route(
                        Method.POST,
                        "/drafts/{id}/discard",
                        Permission.EDIT_CONFIG,
                        t,
                        "Close a draft without publishing.",
                        null,
                        r -> {
                            s.drafts().discard(r.principal(), r.pathLong("id"));
                            return Response.noContent();
                        }));
    }

    private static String comment(Request r) {
        String c = r.optString("comment");
        return c == null ? "" : c;
    }

    private static Map<String, Object> version(AdminServices s, PolicyVersion v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.version());
        out.put("author", v.author());
        out.put("createdAt", v.createdAt());
        out.put("comment", v.comment());
        out.put("yaml", v.yaml());
        return out;
    }

    private static Map<String, Object> report(ValidationReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", report.valid());
        out.put("errors", report.errors().stream().map(Views.ProblemView::of).toList());
        out.put(
                "warnings",
                report.warnings().stream().map(Views.ProblemView::of).toList());
        return out;
    }
}
