// The password reset email. It carries the link and the bare token (for apps that ask the user to
// paste a code); both work once and expire.
import type { OutgoingEmail } from "../email/emailService.js";

export interface ResetEmailInput {
  to: string;
  link: string;
  token: string;
  minutes: number;
}

export function resetEmail({ to, link, token, minutes }: ResetEmailInput): OutgoingEmail {
  const text = [
    "Hello,",
    "",
    `Someone, hopefully you, asked to reset the password of the account ${to}.`,
    "",
    `Choose a new password here: ${link}`,
    "",
    `Or enter this reset code: ${token}`,
    "",
    `The link and the code work once and expire in ${minutes} minutes.`,
    "If you did not ask for this, ignore this email: your password stays the same.",
  ].join("\n");
  const html = [
    "<p>Hello,</p>",
    `<p>Someone, hopefully you, asked to reset the password of the account ${escapeHtml(to)}.</p>`,
    `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>`,
    `<p>Or enter this reset code: <code>${escapeHtml(token)}</code></p>`,
    `<p>The link and the code work once and expire in ${minutes} minutes.<br>`,
    "If you did not ask for this, ignore this email: your password stays the same.</p>",
  ].join("\n");
  return { to, subject: "Reset your password", text, html };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
