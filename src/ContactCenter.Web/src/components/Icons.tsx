// Icons are SVG from lucide-react, bundled with the app: they draw the same with or without an emoji font.
import { Braces, ClipboardList, Mail, MessageCircle, MessagesSquare, Paperclip, Phone, Reply, Send, Smartphone, Users, type LucideIcon } from 'lucide-react';

const channelIcons: Record<string, LucideIcon> = {
  telegram: Send, sms: Smartphone, email: Mail, webchat: MessagesSquare, webform: ClipboardList, api: Braces,
  whatsapp: MessageCircle, vk: Users, voice: Phone,
};

/** The channel kind's icon; decorative (the channel's name is said next to it). */
export function ChannelIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const Icon = channelIcons[kind] ?? MessageCircle;
  return <Icon className="icon" size={size} aria-hidden="true" focusable="false" data-kind={kind} />;
}

export function AttachIcon({ size = 16 }: { size?: number }) {
  return <Paperclip className="icon" size={size} aria-hidden="true" focusable="false" />;
}

export function ReplyIcon({ size = 14 }: { size?: number }) {
  return <Reply className="icon" size={size} aria-hidden="true" focusable="false" />;
}
