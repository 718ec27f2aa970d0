import {
  AlreadyMemberError,
  createInvitation,
  invitationCreateSchema,
  listInvitations,
} from "../../../../core/auth/invitations.ts";
import { hasRole } from "../../../../core/auth/roles.ts";
import { findAccount } from "../../../../core/auth/accounts.ts";
import { escapeHtml } from "../../../../core/notifications/senders/email.ts";
import type { AppContext, RouteConfig } from "../../../../web/app_env.ts";
import { ownOrigin } from "../../../../web/request_info.ts";
import { readJson } from "../../../../web/body.ts";
import { HttpError } from "../../../../web/http_error.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

/**
 * Mails the invitation's link when `SMTP_URL` is set, after the answer: the
 * inviter holds the link in any case, so a failed mail is logged, not fatal.
 */
function mailInvitation(c: AppContext, invitation: { email: string; role: string; token: string }) {
  const { mailer, config, log } = c.var.deps;
  if (!mailer) return;
  const base = config.publicUrl ?? ownOrigin(c, config.trustProxy);
  const link = `${base.replace(/\/$/, "")}/invitations/${invitation.token}`;
  const tenantId = c.var.principal.tenantId;
  findAccount(c.var.deps.db, c.var.principal.userId, tenantId).then(async (account) => {
    const tenant = account?.tenant.name ?? "a V-Insight tenant";
    const by = account?.user.email ?? "A member";
    const result = await mailer.send({
      to: [invitation.email],
      subject: `${by} invited you to ${tenant} on V-Insight`,
      text: `${by} invited you to join ${tenant} on V-Insight as ${invitation.role}.\n\n` +
        `Accept within 7 days: ${link}\n`,
      html: `<p>${escapeHtml(by)} invited you to join <strong>${escapeHtml(tenant)}</strong> ` +
        `on V-Insight as ${escapeHtml(invitation.role)}.</p>` +
        `<p><a href="${escapeHtml(link)}">Accept the invitation</a> within 7 days.</p>`,
      messageId: `<invitation-${crypto.randomUUID()}@v-insight>`,
    });
    if (!result.ok) {
      log.warn("invitation mail failed", { tenant_id: tenantId, error: result.error });
    }
  }).catch((e) => log.warn("invitation mail failed", { tenant_id: tenantId, error: e }));
}

/** `GET` and `POST /api/v1/invitations`: open invitations; a new one's token is shown once. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({
      invitations: await listInvitations(c.var.deps.db, c.var.principal.tenantId),
    });
  },
  async POST(c) {
    const input = await readJson(c, invitationCreateSchema, "Cannot invite");
    if (input.role === "owner" && !hasRole(c.var.role, "owner")) {
      throw new HttpError(403, "forbidden", "Only an owner can invite an owner");
    }
    const p = c.var.principal;
    let invitation;
    try {
      invitation = await createInvitation(c.var.deps.db, p.tenantId, p.userId, input);
    } catch (e) {
      if (e instanceof AlreadyMemberError) {
        throw new HttpError(409, "conflict", "This email is already a member of the tenant");
      }
      throw e;
    }
    mailInvitation(c, invitation);
    return c.json(invitation, 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List open invitations (without their tokens)" },
  POST: {
    summary: "Invite an email with a role; the token is shown once",
    body: invitationCreateSchema,
  },
};
