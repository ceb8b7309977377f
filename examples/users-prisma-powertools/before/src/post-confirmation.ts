import type { LambdaInterface } from '@aws-lambda-powertools/commons/types';
import { Logger } from '@aws-lambda-powertools/logger';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';

const logger = new Logger({ serviceName: 'users' });

// Cognito post-confirmation trigger: creates the user's profile row after sign-up.
class PostConfirmation implements LambdaInterface {
  @logger.injectLambdaContext()
  public async handler(event: PostConfirmationTriggerEvent, _context: Context): Promise<PostConfirmationTriggerEvent> {
    const prisma = new PrismaClient({
      adapter: new PrismaPg({
        connectionString:
          'postgresql://users_app:example-not-a-real-password@users-db.cluster-c9akciq32lce.eu-west-1.rds.amazonaws.com:5432/users',
      }),
    });
    try {
      await prisma.profile.upsert({
        where: { cognitoSub: event.request.userAttributes.sub! },
        create: { cognitoSub: event.request.userAttributes.sub!, email: event.request.userAttributes.email! },
        update: {},
      });
      logger.info('profile created');
    } finally {
      await prisma.$disconnect();
    }
    return event;
  }
}

const lambda = new PostConfirmation();
export const handler = lambda.handler.bind(lambda);
