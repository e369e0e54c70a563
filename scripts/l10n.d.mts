export function extractMessages(source: string): string[];
export function hostMessages(): Record<string, string>;
export function webviewMessages(): string[];
export function pseudo(text: string): string;
