// The API's documents, as the dashboard reads them (see GET /api/v1/openapi.json).

export type Role = 'admin' | 'manager' | 'marketing' | 'sales';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  team_id: number | null;
  active: boolean;
}

export interface Me {
  user: User;
  credential: 'bearer' | 'cookie' | 'api_key';
  csrf_token: string | null;
}

export interface Session {
  user: User;
  csrf_token: string | null;
  expires_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Contact {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
  title: string;
  company_id: number | null;
  owner_id: number | null;
  stage: string;
  stage_entered_at: string;
  source: string;
  campaign: string;
  country: string;
  custom: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface Company {
  id: number;
  name: string;
  domain: string;
  industry: string;
  employees: number | null;
  country: string;
}

export interface Actor {
  user_id: number | null;
  name: string;
}

export interface StageChange {
  id: number;
  from: string | null;
  to: string;
  at: string;
  actor: Actor;
  cause: string;
  reason: string;
}

export interface Activity {
  id: number;
  type: string;
  contact_id: number | null;
  owner_id: number;
  occurred_at: string;
  subject: string;
  outcome: string;
  body: string;
  duration_minutes: number | null;
}

export interface Deal {
  id: number;
  title: string;
  amount: number;
  currency: string;
  stage: string;
  expected_close: string | null;
}

export interface TrackedEvent {
  id: number;
  type: string;
  occurred_at: string;
  utm_source: string;
  utm_campaign: string;
  properties: Record<string, unknown>;
}

export interface TimelineItem {
  at: string;
  kind: 'stage_change' | 'activity' | 'deal' | 'event';
  stage_change: StageChange | null;
  activity: Activity | null;
  deal: Deal | null;
  event: TrackedEvent | null;
}

export interface StageCounts {
  total: number;
  stages: { stage: string; count: number }[];
}
